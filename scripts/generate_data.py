#!/usr/bin/env python3
"""Generate the raw operational data of Rainbow Road, a fictional pet-rescue non-profit.

Writes one CSV file per raw table, as the source systems would export them (every value is text),
covering Rainbow Road's operations from 2021-01-01 to 2025-12-31 in five regions.

The data is synthetic and deterministic: a fixed seed, no wall clock and no set iteration, so every
run writes the same bytes. It deliberately carries the data-entry mistakes that the staging models
clean up: ids and categories in mixed case with stray spaces, several date formats, money written
as '$1,250.00', yes/no flags written many ways, 'N/A' and empty strings for missing values, weights
and hours with units or decimal commas, state names instead of codes, and double submissions.

Usage:
    python scripts/generate_data.py            # writes data/raw/*.csv next to the repository root
    python scripts/generate_data.py --out DIR  # writes somewhere else
"""

from __future__ import annotations

import argparse
import calendar
import csv
import math
import random
import time
from datetime import date, datetime, timedelta
from pathlib import Path

SEED = 20210101
START = date(2021, 1, 1)
END = date(2025, 12, 31)
ONE_DAY = timedelta(days=1)
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO_ROOT / "data" / "raw"

# --------------------------------------------------------------------------------------------
# Reference data
# --------------------------------------------------------------------------------------------

REGIONS = [
    ("NE", "Northeast"),
    ("SE", "Southeast"),
    ("MW", "Midwest"),
    ("SW", "Southwest"),
    ("WE", "West"),
]

# state code, state name, region, area code, cities with (latitude, longitude)
STATES = [
    (
        "NY",
        "New York",
        "NE",
        "212",
        {"New York": (40.71, -74.01), "Albany": (42.65, -73.75), "Rochester": (43.16, -77.61)},
    ),
    ("MA", "Massachusetts", "NE", "617", {"Boston": (42.36, -71.06), "Worcester": (42.26, -71.80)}),
    (
        "PA",
        "Pennsylvania",
        "NE",
        "215",
        {"Philadelphia": (39.95, -75.17), "Pittsburgh": (40.44, -80.00), "Sharon": (41.23, -80.49)},
    ),
    ("NJ", "New Jersey", "NE", "973", {"Newark": (40.74, -74.17), "Trenton": (40.22, -74.76)}),
    (
        "GA",
        "Georgia",
        "SE",
        "404",
        {"Atlanta": (33.75, -84.39), "Macon": (32.84, -83.63), "Valdosta": (30.83, -83.28)},
    ),
    (
        "NC",
        "North Carolina",
        "SE",
        "704",
        {
            "Charlotte": (35.23, -80.84),
            "Raleigh": (35.78, -78.64),
            "Asheboro": (35.71, -79.81),
            "Boone": (36.22, -81.67),
        },
    ),
    (
        "TN",
        "Tennessee",
        "SE",
        "615",
        {"Nashville": (36.16, -86.78), "Knoxville": (35.96, -83.92), "Cookeville": (36.16, -85.50)},
    ),
    (
        "AL",
        "Alabama",
        "SE",
        "205",
        {"Birmingham": (33.52, -86.80), "Dothan": (31.22, -85.39), "Troy": (31.81, -85.97)},
    ),
    ("FL", "Florida", "SE", "407", {"Orlando": (28.54, -81.38), "Tampa": (27.95, -82.46)}),
    ("IL", "Illinois", "MW", "312", {"Chicago": (41.88, -87.63), "Peoria": (40.69, -89.59)}),
    ("OH", "Ohio", "MW", "614", {"Columbus": (39.96, -83.00), "Cleveland": (41.50, -81.69)}),
    (
        "MI",
        "Michigan",
        "MW",
        "313",
        {"Detroit": (42.33, -83.05), "Grand Rapids": (42.96, -85.67), "Bad Axe": (43.80, -83.00)},
    ),
    (
        "TX",
        "Texas",
        "SW",
        "512",
        {
            "Austin": (30.27, -97.74),
            "Houston": (29.76, -95.37),
            "Lubbock": (33.58, -101.86),
            "Alpine": (30.36, -103.66),
        },
    ),
    ("AZ", "Arizona", "SW", "602", {"Phoenix": (33.45, -112.07), "Tucson": (32.22, -110.97)}),
    (
        "NM",
        "New Mexico",
        "SW",
        "505",
        {"Albuquerque": (35.08, -106.65), "Roswell": (33.39, -104.52)},
    ),
    (
        "CA",
        "California",
        "WE",
        "213",
        {
            "Los Angeles": (34.05, -118.24),
            "San Diego": (32.72, -117.16),
            "Fresno": (36.74, -119.79),
        },
    ),
    ("WA", "Washington", "WE", "206", {"Seattle": (47.61, -122.33), "Spokane": (47.66, -117.43)}),
    ("CO", "Colorado", "WE", "303", {"Denver": (39.74, -104.99), "Boulder": (40.01, -105.27)}),
]
STATE_BY_CODE = {s[0]: s for s in STATES}
STATES_BY_REGION = {r: [s[0] for s in STATES if s[2] == r] for r, _ in REGIONS}

# Partner organisations: key, name, type, state, agreement start (None = same as its facility)
PARTNERS = [
    ("valdosta", "Valdosta County Animal Shelter", "rural_shelter", "GA", None),
    ("macon", "Middle Georgia Rural Animal Shelter", "rural_shelter", "GA", None),
    ("randolph", "Randolph Paws Shelter", "rural_shelter", "NC", None),
    ("cumberland", "Upper Cumberland Animal Shelter", "rural_shelter", "TN", None),
    ("wiregrass", "Wiregrass Animal Rescue", "rural_shelter", "AL", None),
    ("prairie", "Prairie Hollow Animal Shelter", "rural_shelter", "IL", None),
    ("llano", "Llano Estacado Animal Shelter", "rural_shelter", "TX", None),
    ("pecos", "Pecos Valley Animal Shelter", "rural_shelter", "NM", None),
    ("sonoran", "Sonoran Desert Animal Shelter", "rural_shelter", "AZ", None),
    ("valley", "Central Valley Animal Shelter", "rural_shelter", "CA", None),
    ("blueridge", "Blue Ridge Humane Society", "rural_shelter", "NC", date(2019, 4, 1)),
    ("tricounty", "Tri-County Animal Control", "rural_shelter", "AL", date(2020, 8, 15)),
    ("bigbend", "Big Bend Animal Shelter", "rural_shelter", "TX", date(2021, 5, 1)),
    ("shenango", "Shenango Valley Animal Shelter", "rural_shelter", "PA", date(2018, 9, 1)),
    ("thumb", "Thumb Area Animal Shelter", "rural_shelter", "MI", date(2022, 2, 1)),
    ("peachtree", "Peachtree Veterinary Clinic", "veterinary_clinic", "GA", date(2014, 6, 1)),
    ("musiccity", "Music City Animal Hospital", "veterinary_clinic", "TN", date(2019, 3, 1)),
    (
        "libertybell",
        "Liberty Bell Veterinary Hospital",
        "veterinary_clinic",
        "PA",
        date(2018, 2, 1),
    ),
    ("harborpoint", "Harbor Point Animal Clinic", "veterinary_clinic", "MA", date(2019, 7, 1)),
    ("lakefront", "Lakefront Veterinary Clinic", "veterinary_clinic", "IL", date(2019, 5, 1)),
    ("buckeye", "Buckeye Animal Hospital", "veterinary_clinic", "OH", date(2020, 1, 15)),
    ("lonestar", "Lone Star Veterinary Partners", "veterinary_clinic", "TX", date(2018, 10, 1)),
    ("desertsky", "Desert Sky Animal Clinic", "veterinary_clinic", "AZ", date(2022, 3, 1)),
    ("milehigh", "Mile High Veterinary Clinic", "veterinary_clinic", "CO", date(2021, 3, 1)),
    ("pacificcrest", "Pacific Crest Animal Hospital", "veterinary_clinic", "CA", date(2022, 2, 1)),
    ("openroad", "Open Road Pet Transport", "transport_company", "GA", date(2016, 1, 1)),
    ("secondchance", "Second Chance Haulers", "transport_company", "TX", date(2018, 6, 1)),
    ("pawswheels", "Paws on Wheels Logistics", "transport_company", "NC", date(2019, 9, 1)),
    ("interstate", "Interstate Animal Transit", "transport_company", "OH", date(2021, 7, 1)),
    ("brightbowl", "Bright Bowl Pet Foods", "corporate_sponsor", "IL", date(2019, 1, 1)),
    ("cozycrate", "Cozy Crate Supply Co.", "corporate_sponsor", "TX", date(2020, 4, 1)),
    ("harborbank", "Harbor Community Bank", "corporate_sponsor", "NY", date(2021, 2, 1)),
    ("tailwind", "Tailwind Logistics", "corporate_sponsor", "WA", date(2023, 1, 15)),
    ("greenleaf", "Greenleaf Grocers", "corporate_sponsor", "CA", date(2022, 9, 1)),
    ("northstar", "Northstar Mutual Insurance", "corporate_sponsor", "MA", date(2020, 11, 1)),
    ("friendsatl", "Friends of Atlanta Animals", "community_group", "GA", date(2015, 5, 1)),
    ("brooklyncats", "Brooklyn Cat Collective", "community_group", "NY", date(2018, 8, 1)),
    ("austinbark", "Austin Bark Club", "community_group", "TX", date(2019, 6, 1)),
    ("denverwalkers", "Denver Dog Walkers", "community_group", "CO", date(2021, 4, 1)),
    ("detroitpets", "Detroit Neighbours for Pets", "community_group", "MI", date(2021, 10, 1)),
    ("tucsontnr", "Tucson Trap-Neuter-Return Group", "community_group", "AZ", date(2022, 5, 1)),
    ("clt_kittens", "Charlotte Kitten Rescue", "community_group", "NC", date(2017, 3, 1)),
    ("seattlepantry", "Seattle Pet Pantry", "community_group", "WA", date(2023, 6, 1)),
    ("columbuspaws", "Columbus Paws Alliance", "community_group", "OH", date(2020, 2, 1)),
]

# Facilities: name, type, city, state, opened date, capacity, partner key
FACILITIES = [
    (
        "Rainbow Road Atlanta Shelter",
        "rainbow_road_shelter",
        "Atlanta",
        "GA",
        date(2014, 3, 1),
        120,
        None,
    ),
    (
        "Atlanta Midtown Adoption Centre",
        "adoption_centre",
        "Atlanta",
        "GA",
        date(2016, 5, 1),
        45,
        None,
    ),
    (
        "Valdosta County Animal Shelter",
        "rural_partner_shelter",
        "Valdosta",
        "GA",
        date(2015, 1, 15),
        60,
        "valdosta",
    ),
    (
        "Middle Georgia Rural Animal Shelter",
        "rural_partner_shelter",
        "Macon",
        "GA",
        date(2016, 9, 1),
        50,
        "macon",
    ),
    (
        "Randolph Paws Shelter",
        "rural_partner_shelter",
        "Asheboro",
        "NC",
        date(2017, 4, 1),
        40,
        "randolph",
    ),
    (
        "Upper Cumberland Animal Shelter",
        "rural_partner_shelter",
        "Cookeville",
        "TN",
        date(2019, 2, 1),
        55,
        "cumberland",
    ),
    (
        "Wiregrass Animal Rescue",
        "rural_partner_shelter",
        "Dothan",
        "AL",
        date(2021, 6, 1),
        35,
        "wiregrass",
    ),
    (
        "Rainbow Road Charlotte Shelter",
        "rainbow_road_shelter",
        "Charlotte",
        "NC",
        date(2017, 8, 1),
        90,
        None,
    ),
    (
        "Nashville Adoption Centre",
        "adoption_centre",
        "Nashville",
        "TN",
        date(2019, 10, 1),
        40,
        None,
    ),
    ("Southeast Foster Network", "foster_network", "Atlanta", "GA", date(2015, 6, 1), None, None),
    (
        "Rainbow Road Philadelphia Shelter",
        "rainbow_road_shelter",
        "Philadelphia",
        "PA",
        date(2018, 4, 1),
        100,
        None,
    ),
    ("Brooklyn Adoption Centre", "adoption_centre", "New York", "NY", date(2018, 6, 1), 50, None),
    ("Boston Adoption Centre", "adoption_centre", "Boston", "MA", date(2019, 5, 1), 40, None),
    ("Newark Adoption Centre", "adoption_centre", "Newark", "NJ", date(2022, 4, 1), 35, None),
    (
        "Northeast Foster Network",
        "foster_network",
        "Philadelphia",
        "PA",
        date(2018, 9, 1),
        None,
        None,
    ),
    (
        "Rainbow Road Columbus Shelter",
        "rainbow_road_shelter",
        "Columbus",
        "OH",
        date(2019, 3, 1),
        80,
        None,
    ),
    ("Chicago Adoption Centre", "adoption_centre", "Chicago", "IL", date(2019, 8, 1), 45, None),
    ("Detroit Adoption Centre", "adoption_centre", "Detroit", "MI", date(2021, 9, 1), 35, None),
    (
        "Prairie Hollow Animal Shelter",
        "rural_partner_shelter",
        "Peoria",
        "IL",
        date(2020, 5, 1),
        40,
        "prairie",
    ),
    ("Midwest Foster Network", "foster_network", "Chicago", "IL", date(2019, 9, 1), None, None),
    (
        "Rainbow Road Houston Shelter",
        "rainbow_road_shelter",
        "Houston",
        "TX",
        date(2018, 1, 15),
        110,
        None,
    ),
    (
        "Rainbow Road Albuquerque Shelter",
        "rainbow_road_shelter",
        "Albuquerque",
        "NM",
        date(2020, 6, 1),
        70,
        None,
    ),
    ("Austin Adoption Centre", "adoption_centre", "Austin", "TX", date(2019, 4, 1), 45, None),
    (
        "Llano Estacado Animal Shelter",
        "rural_partner_shelter",
        "Lubbock",
        "TX",
        date(2018, 7, 1),
        60,
        "llano",
    ),
    (
        "Pecos Valley Animal Shelter",
        "rural_partner_shelter",
        "Roswell",
        "NM",
        date(2019, 11, 1),
        45,
        "pecos",
    ),
    (
        "Sonoran Desert Animal Shelter",
        "rural_partner_shelter",
        "Tucson",
        "AZ",
        date(2022, 3, 1),
        50,
        "sonoran",
    ),
    ("Southwest Foster Network", "foster_network", "Austin", "TX", date(2019, 6, 1), None, None),
    (
        "Rainbow Road Denver Shelter",
        "rainbow_road_shelter",
        "Denver",
        "CO",
        date(2021, 3, 1),
        80,
        None,
    ),
    (
        "Los Angeles Adoption Centre",
        "adoption_centre",
        "Los Angeles",
        "CA",
        date(2022, 2, 1),
        50,
        None,
    ),
    ("Seattle Adoption Centre", "adoption_centre", "Seattle", "WA", date(2023, 5, 1), 35, None),
    (
        "Central Valley Animal Shelter",
        "rural_partner_shelter",
        "Fresno",
        "CA",
        date(2022, 8, 1),
        45,
        "valley",
    ),
    ("West Foster Network", "foster_network", "Denver", "CO", date(2021, 6, 1), None, None),
]

FIRST_NAMES = [
    "Aaliyah",
    "Aiden",
    "Alex",
    "Alicia",
    "Amara",
    "Andre",
    "Angela",
    "Anika",
    "Ben",
    "Bianca",
    "Brandon",
    "Camila",
    "Carlos",
    "Carmen",
    "Chloe",
    "Chris",
    "Dana",
    "Daniel",
    "Darius",
    "Deja",
    "Diego",
    "Elena",
    "Eli",
    "Emily",
    "Eric",
    "Fatima",
    "Gabriel",
    "Grace",
    "Hannah",
    "Hector",
    "Imani",
    "Isaac",
    "Jada",
    "Jamal",
    "Jasmine",
    "Jason",
    "Jenna",
    "Jordan",
    "Jose",
    "Julia",
    "Kai",
    "Karen",
    "Keisha",
    "Kevin",
    "Kim",
    "Laura",
    "Leah",
    "Leo",
    "Lily",
    "Luis",
    "Maria",
    "Marcus",
    "Maya",
    "Megan",
    "Michael",
    "Mei",
    "Nadia",
    "Naomi",
    "Nathan",
    "Nia",
    "Noah",
    "Olivia",
    "Omar",
    "Paige",
    "Pat",
    "Priya",
    "Quinn",
    "Rachel",
    "Raj",
    "Rebecca",
    "Ricardo",
    "Riley",
    "Rosa",
    "Ryan",
    "Sam",
    "Sara",
    "Sean",
    "Sofia",
    "Sophie",
    "Tanya",
    "Taylor",
    "Terrence",
    "Tiffany",
    "Tom",
    "Tran",
    "Valeria",
    "Victor",
    "Wei",
    "Whitney",
    "Xavier",
    "Yasmin",
    "Yusuf",
    "Zoe",
    "Zach",
    "Hiro",
    "Ingrid",
    "Kofi",
    "Lucia",
    "Mateo",
    "Ava",
]
LAST_NAMES = [
    "Adams",
    "Alvarez",
    "Anderson",
    "Baker",
    "Bell",
    "Brooks",
    "Brown",
    "Bui",
    "Campbell",
    "Carter",
    "Castillo",
    "Chen",
    "Clark",
    "Coleman",
    "Cruz",
    "Davis",
    "Diaz",
    "Edwards",
    "Evans",
    "Fischer",
    "Flores",
    "Foster",
    "Garcia",
    "Gomez",
    "Gonzalez",
    "Gray",
    "Green",
    "Hall",
    "Harris",
    "Hayes",
    "Hernandez",
    "Hill",
    "Howard",
    "Hughes",
    "Jackson",
    "James",
    "Jenkins",
    "Johnson",
    "Jones",
    "Kaur",
    "Kelly",
    "Khan",
    "Kim",
    "King",
    "Lee",
    "Lewis",
    "Lopez",
    "Martin",
    "Martinez",
    "Mendoza",
    "Miller",
    "Mitchell",
    "Moore",
    "Morales",
    "Morgan",
    "Murphy",
    "Nguyen",
    "Nelson",
    "Okafor",
    "Ortiz",
    "Owens",
    "Park",
    "Patel",
    "Perez",
    "Peterson",
    "Phillips",
    "Price",
    "Ramirez",
    "Reed",
    "Reyes",
    "Richardson",
    "Rivera",
    "Roberts",
    "Robinson",
    "Rodriguez",
    "Ross",
    "Russell",
    "Sanchez",
    "Sanders",
    "Scott",
    "Shah",
    "Silva",
    "Smith",
    "Stewart",
    "Sullivan",
    "Taylor",
    "Thomas",
    "Thompson",
    "Torres",
    "Tran",
    "Turner",
    "Walker",
    "Ward",
    "Washington",
    "Watson",
    "White",
    "Williams",
    "Wilson",
    "Wright",
    "Young",
]
PET_NAMES = [
    "Apollo",
    "Archie",
    "Bailey",
    "Banjo",
    "Bear",
    "Bella",
    "Biscuit",
    "Blue",
    "Boots",
    "Bruno",
    "Buddy",
    "Butterscotch",
    "Cali",
    "Cinnamon",
    "Clover",
    "Cocoa",
    "Cookie",
    "Cooper",
    "Daisy",
    "Dakota",
    "Dexter",
    "Diesel",
    "Dixie",
    "Duke",
    "Dusty",
    "Echo",
    "Ellie",
    "Ember",
    "Fig",
    "Finn",
    "Fiona",
    "Frankie",
    "Ginger",
    "Gizmo",
    "Goose",
    "Gracie",
    "Gus",
    "Hank",
    "Harley",
    "Hazel",
    "Honey",
    "Hopper",
    "Indigo",
    "Iris",
    "Jasper",
    "Juniper",
    "Kiwi",
    "Koda",
    "Lady",
    "Lemon",
    "Leo",
    "Lexi",
    "Loki",
    "Lola",
    "Louie",
    "Lucky",
    "Luna",
    "Mabel",
    "Maple",
    "Marley",
    "Max",
    "Midnight",
    "Milo",
    "Minnie",
    "Miso",
    "Mochi",
    "Molly",
    "Moose",
    "Nala",
    "Nova",
    "Nugget",
    "Oakley",
    "Olive",
    "Ollie",
    "Oreo",
    "Otis",
    "Paisley",
    "Peaches",
    "Pearl",
    "Pepper",
    "Phoebe",
    "Pickles",
    "Piper",
    "Pumpkin",
    "Queenie",
    "Ranger",
    "Remy",
    "Riley",
    "Rocco",
    "Rosie",
    "Roxy",
    "Ruby",
    "Rusty",
    "Sadie",
    "Sage",
    "Scout",
    "Shadow",
    "Simba",
    "Smokey",
    "Sparky",
    "Sprout",
    "Stella",
    "Sunny",
    "Tango",
    "Teddy",
    "Thor",
    "Tigger",
    "Toast",
    "Toby",
    "Tucker",
    "Waffles",
    "Willow",
    "Winnie",
    "Ziggy",
    "Zeus",
    "Zelda",
    "Biscotti",
    "Chai",
    "Pixel",
    "Rolo",
]
BREEDS = {
    "dog": [
        ("Labrador Retriever mix", 14),
        ("Pit Bull Terrier mix", 16),
        ("German Shepherd mix", 8),
        ("Hound mix", 12),
        ("Beagle", 5),
        ("Chihuahua mix", 9),
        ("Boxer mix", 5),
        ("Australian Shepherd mix", 4),
        ("Dachshund mix", 4),
        ("Terrier mix", 10),
        ("Husky mix", 4),
        ("Border Collie mix", 3),
        ("Shih Tzu", 2),
        ("Catahoula Leopard Dog mix", 3),
        ("Great Pyrenees mix", 2),
    ],
    "cat": [
        ("Domestic Shorthair", 62),
        ("Domestic Medium Hair", 16),
        ("Domestic Longhair", 9),
        ("Siamese mix", 6),
        ("Maine Coon mix", 4),
        ("Russian Blue mix", 3),
    ],
    "rabbit": [
        ("Netherland Dwarf", 3),
        ("Holland Lop", 4),
        ("Rex", 2),
        ("Lionhead", 3),
        ("Mixed breed rabbit", 6),
    ],
    "other": [
        ("Guinea Pig", 5),
        ("Ferret", 2),
        ("Cockatiel", 2),
        ("Bearded Dragon", 1),
        ("Hamster", 3),
    ],
}
COLOURS = {
    "dog": [
        "Black",
        "Brown",
        "Brindle",
        "Tan",
        "White",
        "Black and White",
        "Tricolour",
        "Fawn",
        "Red",
        "Grey",
    ],
    "cat": [
        "Black",
        "Grey Tabby",
        "Orange Tabby",
        "Brown Tabby",
        "Calico",
        "Tortoiseshell",
        "White",
        "Black and White",
        "Grey",
    ],
    "rabbit": ["White", "Brown", "Grey", "Black", "Black and White"],
    "other": ["Brown", "White", "Grey", "Mixed", "Yellow"],
}

# Intake volumes per year (first intakes, before animals returned by adopters)
YEAR_VOLUME = {2021: 700, 2022: 850, 2023: 980, 2024: 1090, 2025: 1200}
SPECIES_MIX = [("dog", 53), ("cat", 39), ("rabbit", 6), ("other", 2)]
SEASON = {  # relative intake weight per month, January first; kitten season peaks in late spring and summer
    "dog": [0.8, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3, 1.2, 1.1, 1.0, 0.9, 0.8],
    "cat": [0.45, 0.45, 0.7, 1.2, 1.8, 2.1, 1.9, 1.6, 1.2, 0.8, 0.55, 0.45],
    "rabbit": [0.7, 0.8, 1.0, 1.6, 1.3, 1.1, 1.0, 0.9, 0.8, 0.8, 0.8, 0.9],
    "other": [1.0] * 12,
}
REGION_WEIGHTS = {
    2021: {"SE": 42, "SW": 22, "NE": 15, "MW": 15, "WE": 6},
    2022: {"SE": 38, "SW": 22, "NE": 15, "MW": 14, "WE": 11},
    2023: {"SE": 36, "SW": 22, "NE": 14, "MW": 14, "WE": 14},
    2024: {"SE": 34, "SW": 22, "NE": 14, "MW": 14, "WE": 16},
    2025: {"SE": 33, "SW": 22, "NE": 14, "MW": 14, "WE": 17},
}
INTAKE_TYPE_WEIGHTS = {  # rural transfers dominate in the Southeast and Southwest
    "SE": {"rural_transfer": 55, "stray": 15, "owner_surrender": 15, "partner_transfer": 15},
    "SW": {"rural_transfer": 50, "stray": 20, "owner_surrender": 15, "partner_transfer": 15},
    "MW": {"rural_transfer": 20, "stray": 30, "owner_surrender": 30, "partner_transfer": 20},
    "NE": {"rural_transfer": 0, "stray": 35, "owner_surrender": 40, "partner_transfer": 25},
    "WE": {"rural_transfer": 20, "stray": 35, "owner_surrender": 30, "partner_transfer": 15},
}
TRANSPORT_DESTINATIONS = {  # where animals from rural partner shelters in a region go
    "SE": {"SE": 60, "NE": 30, "MW": 10},
    "SW": {"SW": 55, "WE": 25, "MW": 20},
    "MW": {"MW": 100},
    "WE": {"WE": 100},
    "NE": {"NE": 100},
}

VACCINES = {
    "dog": ["DHPP vaccine", "Bordetella vaccine"],
    "cat": ["FVRCP vaccine", "FeLV vaccine"],
    "rabbit": ["RHDV2 vaccine"],
}
TREATMENTS = {  # procedure, cost range in dollars, species it applies to
    "Deworming": ((15, 40), ("dog", "cat", "rabbit", "other")),
    "Flea and tick treatment": ((20, 45), ("dog", "cat", "rabbit")),
    "Heartworm treatment": ((400, 1200), ("dog",)),
    "Wound care": ((80, 350), ("dog", "cat", "rabbit", "other")),
    "Dental cleaning": ((250, 600), ("dog", "cat")),
    "Upper respiratory infection treatment": ((40, 150), ("cat", "rabbit")),
    "Skin infection treatment": ((50, 180), ("dog", "cat", "other")),
    "Fracture repair": ((900, 2800), ("dog", "cat")),
    "Parvovirus treatment": ((600, 1800), ("dog",)),
}

# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------


def days_between(a: date, b: date) -> int:
    return (b - a).days


def clamp(d: date, lo: date, hi: date) -> date:
    return max(lo, min(hi, d))


def add_months(d: date, months: int) -> date:
    year, month = divmod(d.month - 1 + months, 12)
    year += d.year
    month += 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def month_starts(first: date, last: date):
    d = date(first.year, first.month, 1)
    while d <= last:
        yield d
        d = add_months(d, 1)


def pick(rng: random.Random, weights: dict):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys], k=1)[0]


def pick_pairs(rng: random.Random, pairs: list):
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs], k=1)[0]


def poisson(rng: random.Random, lam: float) -> int:
    threshold, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= threshold:
            return k
        k += 1


def cents(rng: random.Random, low: float, high: float) -> int:
    return int(round(rng.uniform(low, high) * 100))


def at_time(rng: random.Random, d: date, first_hour: int = 8, last_hour: int = 18) -> datetime:
    return datetime(
        d.year,
        d.month,
        d.day,
        rng.randint(first_hour, last_hour - 1),
        rng.randint(0, 59),
        rng.randint(0, 59),
    )


def road_miles(a: tuple, b: tuple) -> int:
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return max(8, int(round(3959 * 2 * math.asin(math.sqrt(h)) * 1.2)))


class DaySampler:
    """Draws days between two dates with a weight per day."""

    def __init__(self, first: date, last: date, weight):
        self.days, self.cum, total, d = [], [], 0.0, first
        while d <= last:
            total += weight(d)
            self.days.append(d)
            self.cum.append(total)
            d += ONE_DAY

    def sample(self, rng: random.Random) -> date:
        return rng.choices(self.days, cum_weights=self.cum, k=1)[0]


def assign_ids(records: list, prefix: str, width: int, sort_key) -> None:
    """Give records ids in chronological order: PREFIX-000001, PREFIX-000002, ..."""
    for n, rec in enumerate(sorted(records, key=sort_key), start=1):
        rec["id"] = f"{prefix}-{n:0{width}d}"


# --------------------------------------------------------------------------------------------
# Noise: how values look after staff typed them into forms and spreadsheets
# --------------------------------------------------------------------------------------------

MISSING_TOKENS = ["", "", "", "N/A", "n/a", "NULL"]
TRUE_TOKENS = ["Y", "yes", "TRUE", "1", "Yes", "true", "y"]
FALSE_TOKENS = ["N", "no", "FALSE", "0", "No", "false", "n"]


class Noise:
    def __init__(self, rng: random.Random):
        self.r = rng

    def chance(self, p: float) -> bool:
        return self.r.random() < p

    def missing(self) -> str:
        return self.r.choice(MISSING_TOKENS)

    def ident(self, value, p: float = 0.03) -> str:
        if value is None:
            return self.missing()
        if not self.chance(p):
            return value
        return self.r.choice(
            [value.lower(), value + " ", " " + value, value.lower() + " ", value + "  "]
        )

    def category(self, value, p: float = 0.12) -> str:
        if value is None:
            return self.missing()
        if not self.chance(p):
            return value
        words = value.split("_")
        return self.r.choice(
            [
                " ".join(w.capitalize() for w in words),
                " ".join(w.capitalize() for w in words) + " ",
                value.upper(),
                " " + value,
                value + " ",
                "-".join(words),
                words[0].capitalize() + ("_" + "_".join(words[1:]) if len(words) > 1 else ""),
            ]
        )

    def text(self, value, p: float = 0.02) -> str:
        if value is None:
            return self.missing()
        if not self.chance(p):
            return value
        return self.r.choice([value + " ", " " + value, value + "  "])

    def date(self, d, p_us: float = 0.08, p_slash: float = 0.04) -> str:
        if d is None:
            return self.missing()
        x = self.r.random()
        if x < p_us:
            return d.strftime("%m/%d/%Y")
        if x < p_us + p_slash:
            return d.strftime("%Y/%m/%d")
        return d.isoformat()

    def timestamp(self, dt, p: float = 0.1) -> str:
        if dt is None:
            return self.missing()
        if not self.chance(p):
            return dt.strftime("%Y-%m-%d %H:%M:%S")
        fmt = self.r.choice(["%Y-%m-%dT%H:%M:%S", "%m/%d/%Y %H:%M", "%Y/%m/%d %H:%M:%S"])
        return dt.strftime(fmt)

    def money(self, amount_cents, p: float = 0.3) -> str:
        if amount_cents is None:
            return self.missing()
        dollars, rest = divmod(amount_cents, 100)
        plain = f"{dollars}.{rest:02d}"
        if not self.chance(p):
            return plain
        grouped = f"{dollars:,}.{rest:02d}"
        variants = ["$" + grouped, "$" + plain, grouped, " $" + grouped]
        if rest == 0:
            variants += [str(dollars), "$" + f"{dollars:,}"]
        return self.r.choice(variants)

    def boolean(self, value: bool, primary=("Y", "N"), p: float = 0.25) -> str:
        if not self.chance(p):
            return primary[0] if value else primary[1]
        return self.r.choice(TRUE_TOKENS if value else FALSE_TOKENS)

    def state(self, code, p: float = 0.1) -> str:
        if code is None:
            return self.missing()
        if not self.chance(p):
            return code
        name = STATE_BY_CODE[code][1]
        return self.r.choice(
            [name.lower(), name, code.lower(), " " + code, name.upper(), name + " "]
        )

    def measure(self, value, unit: str, p: float = 0.25) -> str:
        if value is None:
            return self.missing()
        plain = f"{value:.1f}"
        if not self.chance(p):
            return plain
        return self.r.choice(
            [plain.replace(".", ","), f"{plain} {unit}", f"{plain}{unit}", plain + " "]
        )

    def hours(self, value: float, p: float = 0.25) -> str:
        plain = f"{value:g}"
        if not self.chance(p):
            return plain
        return self.r.choice(
            [f"{plain}h", f"{plain} hrs", plain.replace(".", ","), f"{value:.2f}", f"{plain} hours"]
        )

    def integer(self, value, unit=None, p: float = 0.05) -> str:
        if value is None:
            return self.missing()
        if unit is None or not self.chance(p):
            return str(value)
        return self.r.choice([f"{value} {unit}", f"{value}{unit}", f" {value}"])


# --------------------------------------------------------------------------------------------
# The world: reference data, people, animals, money
# --------------------------------------------------------------------------------------------


class World:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.regions = [{"id": r, "name": n} for r, n in REGIONS]
        self.states = [{"code": s[0], "name": s[1], "region": s[2]} for s in STATES]
        self.partners, self.partner_by_key = [], {}
        self.facilities = []
        self.campaigns, self.campaign_spend, self.events = [], [], []
        self.events_by_facility = {}
        self.volunteers, self.shifts = [], []
        self.animals, self.intakes, self.transports, self.stays, self.fosters = [], [], [], [], []
        self.medical, self.adopters, self.adoptions, self.outcomes = [], [], [], []
        self.applications, self.leads = [], []
        self.employees, self.trainings = [], []
        self.donors, self.donations, self.grants, self.expenses = [], [], [], []
        self.email_counter = 0

    # ---- shared lookups -------------------------------------------------------------------

    def region_of_state(self, code: str) -> str:
        return STATE_BY_CODE[code][2]

    def coords(self, facility: dict) -> tuple:
        return STATE_BY_CODE[facility["state"]][4][facility["city"]]

    def open_facilities(self, region, types, day: date) -> list:
        return [
            f
            for f in self.facilities
            if (region is None or f["region"] == region)
            and f["type"] in types
            and f["opened"] <= day
        ]

    def person(self) -> tuple:
        return self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)

    def email(self, first: str, last: str) -> str:
        self.email_counter += 1
        domain = self.rng.choice(["example.com", "example.net", "example.org", "mail.example.com"])
        style = self.rng.random()
        if style < 0.5:
            local = f"{first}.{last}"
        elif style < 0.8:
            local = f"{first[0]}{last}{self.email_counter % 97}"
        else:
            local = f"{first}{self.email_counter % 1000}"
        return f"{local.lower()}@{domain}"

    def phone(self, state: str) -> str:
        area = STATE_BY_CODE[state][3]
        return f"({area}) 555-01{self.rng.randint(0, 99):02d}"

    def active_campaign(self, day: date, goal: str, region) -> dict | None:
        options = [
            c
            for c in self.campaigns
            if c["goal"] == goal
            and c["start"] <= day <= c["end"]
            and (c["region"] is None or c["region"] == region)
        ]
        return self.rng.choice(options) if options else None

    # ---- reference data -------------------------------------------------------------------

    def build_reference(self) -> None:
        facility_opened = {f[6]: f[4] for f in FACILITIES if f[6]}
        for n, (key, name, ptype, state, start) in enumerate(PARTNERS, start=1):
            slug = "".join(ch for ch in name.lower() if ch.isalnum())[:18]
            partner = {
                "id": f"PRT-{n:03d}",
                "key": key,
                "name": name,
                "type": ptype,
                "state": state,
                "region": self.region_of_state(state),
                "agreement_start": start or facility_opened[key],
                "email": f"{self.rng.choice(['info', 'intake', 'partners', 'hello'])}@{slug}.example.org",
            }
            self.partners.append(partner)
            self.partner_by_key[key] = partner
        for n, (name, ftype, city, state, opened, capacity, partner_key) in enumerate(
            FACILITIES, start=1
        ):
            self.facilities.append(
                {
                    "id": f"FAC-{n:03d}",
                    "name": name,
                    "type": ftype,
                    "city": city,
                    "state": state,
                    "region": self.region_of_state(state),
                    "opened": opened,
                    # The table lists whole buildings; Rainbow Road's animals have about a
                    # sixth of the places (partners and day-to-day turnover use the rest).
                    "capacity": max(4, round(capacity / 6)) if capacity else None,
                    "partner": self.partner_by_key[partner_key] if partner_key else None,
                }
            )

    # ---- marketing: campaigns, spend and adoption events ----------------------------------

    def build_campaigns(self) -> None:
        rng = self.rng
        plans = []
        for y in range(2021, 2026):
            yy = y % 100
            plans += [
                (
                    f"KITTEN-{y}",
                    f"Kitten Season {y}",
                    "adoption",
                    None,
                    date(y, 4, 15),
                    date(y, 7, 31),
                ),
                (
                    f"EMPTY-KENNELS-{y}",
                    f"Empty the Kennels {y}",
                    "adoption",
                    None,
                    date(y, 8, 1),
                    date(y, 8, 31),
                ),
                (
                    f"SPRING-APPEAL-{y}",
                    f"Spring Appeal {y}",
                    "fundraising",
                    None,
                    date(y, 3, 1),
                    date(y, 4, 15),
                ),
                (
                    f"GIVING-{y}",
                    f"Year-End Giving {y}",
                    "fundraising",
                    None,
                    date(y, 11, 15),
                    date(y, 12, 31),
                ),
                (
                    f"VOLUNTEER-{y}",
                    f"Summer Volunteer Drive {y}",
                    "volunteering",
                    None,
                    date(y, 5, 1),
                    date(y, 6, 30),
                ),
                (
                    f"FOSTER-{y}",
                    f"Foster Heroes {y}",
                    "volunteering",
                    None,
                    date(y, 2, 15),
                    date(y, 4, 15),
                ),
                (
                    f"ROADTRIP-{yy}",
                    f"Rural Rescue Road Trip {y}",
                    "fundraising",
                    "SE",
                    date(y, 6, 1),
                    date(y, 7, 15),
                ),
            ]
            for region, region_name in REGIONS:
                if region == "WE" and y < 2022:
                    continue
                plans.append(
                    (
                        f"{region}-ADOPT-{yy}",
                        f"{region_name} Adoption Weekends {y}",
                        "adoption",
                        region,
                        date(y, 9, 1),
                        date(y, 10, 31),
                    )
                )
            if y >= 2023:
                plans.append(
                    (
                        f"SENIOR-PETS-{y}",
                        f"Senior Pets Month {y}",
                        "adoption",
                        None,
                        date(y, 11, 1),
                        date(y, 11, 30),
                    )
                )
        for code, name, goal, region, start, end in plans:
            self.campaigns.append(
                {
                    "code": code,
                    "name": name,
                    "goal": goal,
                    "region": region,
                    "start": start,
                    "end": end,
                }
            )
        assign_ids(self.campaigns, "CMP", 3, lambda c: (c["start"], c["code"]))

        channels = {
            "adoption": [("social", 1500), ("search", 1200), ("events", 2000), ("email", 300)],
            "fundraising": [("email", 400), ("print", 1800), ("social", 1200), ("radio", 2500)],
            "volunteering": [("social", 900), ("email", 250), ("search", 600)],
        }
        for c in self.campaigns:
            scale = 1.0 + 0.15 * (c["start"].year - 2021) if c["region"] is None else 0.4
            week = c["start"]
            while week <= c["end"]:
                for channel, top in channels[c["goal"]]:
                    if rng.random() < 0.7:
                        self.campaign_spend.append(
                            {
                                "campaign": c,
                                "date": min(week + timedelta(days=rng.randint(0, 6)), c["end"]),
                                "channel": channel,
                                "amount": cents(rng, top * 0.15 * scale, top * scale),
                            }
                        )
                week += timedelta(days=7)
        assign_ids(
            self.campaign_spend, "SPD", 5, lambda s: (s["date"], s["campaign"]["id"], s["channel"])
        )

    def build_adoption_events(self) -> None:
        rng = self.rng
        for f in self.facilities:
            if f["type"] not in ("adoption_centre", "rainbow_road_shelter"):
                continue
            every = 1 if f["type"] == "adoption_centre" else 3
            for m_start in month_starts(max(f["opened"], START), END):
                if (m_start.month - 1) % every or rng.random() > 0.8:
                    continue
                saturdays = [
                    d
                    for d in (m_start + timedelta(days=i) for i in range(31))
                    if d.month == m_start.month and d.weekday() == 5 and d <= END
                ]
                day = rng.choice(saturdays)
                campaign = self.active_campaign(day, "adoption", f["region"])
                if campaign is not None and rng.random() > 0.8:
                    campaign = None
                season = ["Winter", "Spring", "Summer", "Autumn"][(day.month % 12) // 3]
                short = f["city"]
                name = rng.choice(
                    [
                        f"{season} Adoption Day {short}",
                        f"Meet Your Match {short}",
                        f"{short} Adoption Fair",
                    ]
                )
                if campaign is not None:
                    name = f"{campaign['name']}: {short}"
                attendees = rng.randint(40, 250) + (rng.randint(50, 350) if campaign else 0)
                self.events.append(
                    {
                        "name": name,
                        "facility": f,
                        "date": day,
                        "campaign": campaign,
                        "attendees": attendees,
                    }
                )
        assign_ids(self.events, "EVT", 4, lambda e: (e["date"], e["facility"]["id"]))
        for e in sorted(self.events, key=lambda e: e["id"]):
            self.events_by_facility.setdefault(e["facility"]["id"], []).append(e)

    # ---- volunteers -----------------------------------------------------------------------

    def new_volunteer(self, home: dict, joined: date, is_foster: bool, active_until: date) -> dict:
        first, last = self.person()
        vol = {
            "first": first,
            "last": last,
            "email": self.email(first, last),
            "home": home,
            "joined": joined,
            "is_foster": is_foster,
            "active_until": active_until,
            "status": "active" if active_until >= END else "inactive",
            "engagement": self.rng.choice([0.2, 0.35, 0.5, 0.7, 1.0, 1.5]),
        }
        self.volunteers.append(vol)
        return vol

    def build_volunteers(self) -> None:
        rng = self.rng
        networks = [f for f in self.facilities if f["type"] == "foster_network"]
        sites = [
            f
            for f in self.facilities
            if f["type"] in ("rainbow_road_shelter", "adoption_centre", "rural_partner_shelter")
        ]
        joined_sampler = DaySampler(
            date(2016, 1, 1), date(2025, 11, 30), lambda d: 1.0 + 0.5 * (d.year - 2016)
        )

        def lifetime(joined: date) -> date:
            if rng.random() < 0.35:
                return min(joined + timedelta(days=rng.randint(60, 1100)), END - timedelta(days=60))
            return END

        for net in networks:  # founding carers of every foster network
            for _ in range(5):
                joined = max(net["opened"], START - timedelta(days=400)) + timedelta(
                    days=rng.randint(0, 40)
                )
                self.new_volunteer(
                    net,
                    joined,
                    True,
                    END if rng.random() < 0.8 else date(2024, rng.randint(1, 12), 1),
                )
        network_weights = {"SE": 34, "SW": 22, "NE": 16, "MW": 14, "WE": 14}
        for _ in range(180):  # foster carers who join over the years
            region = pick(rng, network_weights)
            net = next(n for n in networks if n["region"] == region)
            joined = max(
                joined_sampler.sample(rng), net["opened"] + timedelta(days=rng.randint(0, 60))
            )
            self.new_volunteer(net, joined, True, lifetime(joined))
        for _ in range(470):  # volunteers at shelters and adoption centres
            joined = joined_sampler.sample(rng)
            options = [s for s in sites if s["opened"] <= joined] or [self.facilities[0]]
            weights = [0.3 if s["type"] == "rural_partner_shelter" else 1.0 for s in options]
            home = rng.choices(options, weights=weights, k=1)[0]
            self.new_volunteer(home, joined, rng.random() < 0.05, lifetime(joined))
        assign_ids(
            self.volunteers, "VOL", 5, lambda v: (v["joined"], v["last"], v["first"], v["email"])
        )
        self.carers_by_network = {}
        for v in sorted(self.volunteers, key=lambda v: v["id"]):
            if v["is_foster"] and v["home"]["type"] == "foster_network":
                self.carers_by_network.setdefault(v["home"]["id"], []).append(v)

    def build_shifts(self) -> None:
        rng = self.rng
        season = [0.8, 0.8, 0.9, 1.0, 1.1, 1.4, 1.5, 1.4, 1.1, 1.0, 0.9, 1.1]
        activities = {
            "rural_partner_shelter": [("animal_care", 5), ("transport", 4), ("admin", 1)],
            "rainbow_road_shelter": [
                ("animal_care", 6),
                ("dog_walking", 5),
                ("transport", 2),
                ("admin", 2),
                ("fundraising", 1),
            ],
            "adoption_centre": [
                ("animal_care", 5),
                ("dog_walking", 3),
                ("admin", 2),
                ("fundraising", 2),
            ],
            "foster_network": [("admin", 3), ("transport", 2), ("fundraising", 2)],
        }
        for v in sorted(self.volunteers, key=lambda v: v["id"]):
            first, last = max(v["joined"], START), min(v["active_until"], END)
            if first > last:
                continue
            rate = v["engagement"] * (0.25 if v["is_foster"] else 1.0)
            for m_start in month_starts(first, last):
                m_end = date(
                    m_start.year, m_start.month, calendar.monthrange(m_start.year, m_start.month)[1]
                )
                lo, hi = max(m_start, first), min(m_end, last)
                for _ in range(
                    poisson(rng, rate * season[m_start.month - 1] * (days_between(lo, hi) + 1) / 30)
                ):
                    site = v["home"]
                    if rng.random() < 0.15:
                        options = self.open_facilities(
                            site["region"], ("rainbow_road_shelter", "adoption_centre"), lo
                        )
                        site = rng.choice(options) if options else site
                    day = lo + timedelta(days=rng.randint(0, days_between(lo, hi)))
                    self.shifts.append(
                        {
                            "volunteer": v,
                            "facility": site,
                            "date": day,
                            "hours": rng.choice([1.5, 2, 2, 3, 3, 3, 4, 4, 5, 6, 8]),
                            "activity": pick_pairs(rng, activities[site["type"]]),
                        }
                    )
        for e in self.events:  # adoption events are staffed by volunteers from the region
            helpers = [
                v
                for v in self.volunteers
                if v["home"]["region"] == e["facility"]["region"]
                and v["joined"] <= e["date"] <= v["active_until"]
            ]
            for v in rng.sample(helpers, min(len(helpers), rng.randint(3, 8))):
                self.shifts.append(
                    {
                        "volunteer": v,
                        "facility": e["facility"],
                        "date": e["date"],
                        "hours": rng.choice([3, 4, 4, 5, 6]),
                        "activity": "adoption_event",
                    }
                )
        assign_ids(
            self.shifts,
            "SHF",
            6,
            lambda s: (
                s["date"],
                s["volunteer"]["id"],
                s["facility"]["id"],
                s["activity"],
                s["hours"],
            ),
        )

    # ---- animals and their journeys -------------------------------------------------------

    def new_animal(self, species: str, intake_day: date, region: str) -> dict:
        rng = self.rng
        kitten_season = 4 <= intake_day.month <= 9
        young_p = {
            "dog": 0.25,
            "cat": 0.55 if kitten_season else 0.2,
            "rabbit": 0.15,
            "other": 0.2,
        }[species]
        if rng.random() < young_p:
            age_days = rng.randint(35, 200)
        else:
            top = {"dog": 14, "cat": 16, "rabbit": 8, "other": 5}[species]
            age_days = int(365 * min(top, 0.6 + rng.expovariate(1 / 3.5)))
        sex = pick(rng, {"male": 48, "female": 48, "unknown": 4 if species != "other" else 30})
        animal = {
            "name": rng.choice(PET_NAMES),
            "species": species,
            "breed": pick_pairs(rng, BREEDS[species]),
            "sex": sex,
            "birth": intake_day - timedelta(days=age_days) if rng.random() > 0.07 else None,
            "age_days": age_days,
            "colour": rng.choice(COLOURS[species]),
            "microchip": f"9851{rng.randint(10**10, 10**11 - 1)}" if rng.random() < 0.62 else None,
            "created_at": at_time(rng, intake_day),
            "fixed": age_days > 365 and rng.random() < 0.2,
            "region": region,
        }
        self.animals.append(animal)
        return animal

    def plan_intakes(self) -> list:
        rng = self.rng
        samplers = {
            sp: DaySampler(
                START, END, lambda d, sp=sp: SEASON[sp][d.month - 1] * YEAR_VOLUME[d.year] / 1000
            )
            for sp, _ in SPECIES_MIX
        }
        planned = []
        for _ in range(sum(YEAR_VOLUME.values())):  # the samplers spread intakes over the years
            species = pick_pairs(rng, SPECIES_MIX)
            planned.append((samplers[species].sample(rng), species))
        planned.sort(key=lambda p: (p[0], p[1]))
        return planned

    def choose_intake(self, day: date, species: str) -> dict:
        rng = self.rng
        region = pick(rng, REGION_WEIGHTS[day.year])
        if not self.open_facilities(region, ("rainbow_road_shelter", "adoption_centre"), day):
            region = "SE"
        intake_type = pick(rng, INTAKE_TYPE_WEIGHTS[region])
        rural = self.open_facilities(region, ("rural_partner_shelter",), day)
        if intake_type == "rural_transfer" and not rural:
            intake_type = "partner_transfer"
        source = None
        if intake_type == "rural_transfer":
            facility = rng.choice(rural)
            source = facility["partner"]
        elif intake_type == "partner_transfer":
            options = self.open_facilities(
                region, ("rainbow_road_shelter",), day
            ) or self.open_facilities(region, ("adoption_centre",), day)
            facility = rng.choice(options)
            sources = [
                p
                for p in self.partners
                if p["type"] in ("rural_shelter", "community_group")
                and p["region"] == region
                and p["agreement_start"] <= day
            ]
            source = rng.choice(sources or [p for p in self.partners if p["key"] == "blueridge"])
        else:
            shelters = self.open_facilities(region, ("rainbow_road_shelter",), day)
            centres = self.open_facilities(region, ("adoption_centre",), day)
            options = shelters if (shelters and (rng.random() < 0.65 or not centres)) else centres
            facility = rng.choice(options)
        p_cond = {"healthy": 55, "treatable": 33, "unhealthy": 12}
        if intake_type == "rural_transfer":
            p_cond = {"healthy": 45, "treatable": 40, "unhealthy": 15}
        return {
            "date": day,
            "type": intake_type,
            "facility": facility,
            "source": source,
            "condition": pick(rng, p_cond),
            "species": species,
        }

    def choose_outcome(self, intake: dict) -> str:
        rng = self.rng
        cond = intake["condition"]
        weights = {
            "return_to_owner": 22 if intake["type"] == "stray" else 2,
            "transfer_to_partner": 5,
            "euthanasia": {"healthy": 0.3, "treatable": 1.5, "unhealthy": 12}[cond],
            "died_in_care": {"healthy": 0.5, "treatable": 2, "unhealthy": 8}[cond],
            "lost_in_care": 0.5,
        }
        weights["adoption"] = 100 - sum(weights.values())
        return pick(rng, weights)

    def transport(self, animal, origin, destination, day: date, long_haul: bool) -> dict:
        rng = self.rng
        miles = road_miles(self.coords(origin), self.coords(destination))
        if origin["city"] == destination["city"]:
            miles = rng.randint(6, 25)
        departed = datetime(
            day.year, day.month, day.day, rng.randint(5, 9), rng.choice([0, 15, 30, 45])
        )
        hours = miles / 48 + 0.4 * (miles // 250) + rng.uniform(0.1, 0.6)
        companies = [
            p
            for p in self.partners
            if p["type"] == "transport_company" and p["agreement_start"] <= day
        ]
        partner = (
            rng.choice(companies)
            if companies and rng.random() < (0.4 if long_haul else 0.08)
            else None
        )
        return {
            "animal": animal,
            "from": origin,
            "to": destination,
            "departed": departed,
            "arrived": departed + timedelta(minutes=int(hours * 60)),
            "miles": miles,
            "partner": partner,
        }

    def plan_route(self, intake: dict, animal: dict) -> list:
        """The stays, foster placements and transports of one intake, before any outcome cut."""
        rng = self.rng
        legs = []  # kind, facility, start, end, arrived_by (transport), carer
        day, here = intake["date"], intake["facility"]
        arrived_by = None
        if here["type"] == "rural_partner_shelter":
            leave = day + timedelta(days=rng.randint(1, 10))
            legs.append(
                {"kind": "stay", "facility": here, "start": day, "end": leave, "arrived_by": None}
            )
            dest_region = pick(rng, TRANSPORT_DESTINATIONS[here["region"]])
            options = self.open_facilities(
                dest_region, ("rainbow_road_shelter", "adoption_centre"), leave
            ) or self.open_facilities(
                here["region"], ("rainbow_road_shelter", "adoption_centre"), leave
            )
            dest = rng.choice(options)
            arrived_by = self.transport(animal, here, dest, leave, True)
            here, day = dest, arrived_by["arrived"].date()
        young = animal["age_days"] < 200
        foster_p = (
            0.5
            if (animal["species"] == "cat" and young)
            else 0.35
            if intake["condition"] == "unhealthy"
            else 0.12
        )
        networks = self.open_facilities(here["region"], ("foster_network",), day)
        if networks and animal["species"] != "other" and rng.random() < foster_p:
            net = networks[0]
            pre = day + timedelta(days=rng.randint(1, 5))
            length = (
                rng.randint(21, 56)
                if young
                else rng.randint(14, 42)
                if intake["condition"] == "unhealthy"
                else rng.randint(10, 35)
            )
            back = pre + timedelta(days=length)
            carers = [
                v
                for v in self.carers_by_network.get(net["id"], [])
                if v["joined"] <= pre and back <= v["active_until"]
            ]
            if carers:
                legs.append(
                    {
                        "kind": "stay",
                        "facility": here,
                        "start": day,
                        "end": pre,
                        "arrived_by": arrived_by,
                    }
                )
                legs.append(
                    {
                        "kind": "foster",
                        "facility": net,
                        "start": pre,
                        "end": back,
                        "arrived_by": None,
                        "carer": rng.choice(carers),
                    }
                )
                centres = self.open_facilities(here["region"], ("adoption_centre",), back)
                if here["type"] == "rainbow_road_shelter" and centres and rng.random() < 0.5:
                    here = rng.choice(centres)
                day, arrived_by = back, None
        if here["type"] == "rainbow_road_shelter" and rng.random() < 0.4:
            centres = self.open_facilities(here["region"], ("adoption_centre",), day)
            if centres:
                leave = day + timedelta(days=rng.randint(3, 20))
                legs.append(
                    {
                        "kind": "stay",
                        "facility": here,
                        "start": day,
                        "end": leave,
                        "arrived_by": arrived_by,
                    }
                )
                dest = rng.choice(centres)
                arrived_by = self.transport(animal, here, dest, leave, False)
                here, day = dest, arrived_by["arrived"].date()
        low, high = {"dog": (8, 45), "cat": (6, 40), "rabbit": (15, 60), "other": (10, 50)}[
            animal["species"]
        ]
        if young:
            low, high = low // 2, high // 2
        if animal["age_days"] > 8 * 365:
            high += 30
        if intake["condition"] == "unhealthy":
            low, high = low + 10, high + 20
        legs.append(
            {
                "kind": "stay",
                "facility": here,
                "start": day,
                "end": day + timedelta(days=rng.randint(low, high)),
                "arrived_by": arrived_by,
            }
        )
        return legs

    def cut_route(self, legs: list, cut: date) -> list:
        kept = [dict(leg) for leg in legs if leg["start"] <= cut]
        kept[-1]["end"] = cut
        return kept

    def simulate_intake(self, intake: dict, animal: dict, queue: list) -> None:
        rng = self.rng
        intake["animal"] = animal
        self.intakes.append(intake)
        outcome_type = self.choose_outcome(intake)
        legs = self.plan_route(intake, animal)
        if outcome_type == "return_to_owner":
            first = legs[0]
            legs = [
                dict(
                    first, end=min(first["end"], intake["date"] + timedelta(days=rng.randint(0, 8)))
                )
            ]
        elif outcome_type in ("euthanasia", "died_in_care", "lost_in_care"):
            span = days_between(intake["date"], legs[-1]["end"])
            legs = self.cut_route(legs, intake["date"] + timedelta(days=rng.randint(0, span)))
        elif outcome_type == "transfer_to_partner":
            last = legs[-1]
            last["end"] = last["start"] + timedelta(
                days=max(1, days_between(last["start"], last["end"]) // 2)
            )
        elif outcome_type == "adoption":
            last = legs[-1]
            for event in self.events_by_facility.get(last["facility"]["id"], []):
                if (
                    last["start"] < event["date"]
                    and -4 <= days_between(last["end"], event["date"]) <= 10
                ):
                    if rng.random() < 0.6:
                        last["end"] = event["date"]
                    break
        outcome_day = legs[-1]["end"]
        in_care = outcome_day > END
        if in_care:
            legs = [leg for leg in legs if leg["start"] <= END]
            legs[-1]["end"] = None
        for leg in legs:
            leg["animal"], leg["intake"] = animal, intake
            if leg["arrived_by"] is not None:
                leg["arrived_by"]["intake"] = intake
                self.transports.append(leg["arrived_by"])
            if leg["kind"] == "stay":
                prefix = {"dog": "D", "cat": "C", "rabbit": "R", "other": "S"}[animal["species"]]
                size = max(6, (leg["facility"]["capacity"] or 30) // 3)
                leg["kennel"] = f"{prefix}-{rng.randint(1, size):02d}"
                self.stays.append(leg)
            else:
                self.fosters.append(leg)
        self.add_medical_events(
            intake, animal, legs, outcome_type, None if in_care else outcome_day
        )
        intake["legs"] = legs
        if in_care:
            self.add_pending_applications(intake, animal, legs)
            return
        outcome = {
            "type": outcome_type,
            "date": outcome_day,
            "facility": legs[-1]["facility"],
            "intake": intake,
            "animal": animal,
        }
        self.outcomes.append(outcome)
        if outcome_type == "adoption":
            adoption = self.add_adoption(intake, animal, legs)
            back = outcome_day + timedelta(days=rng.randint(3, 120))
            if rng.random() < 0.04 and back <= END - timedelta(days=2):
                queue.append(
                    (
                        {
                            "date": back,
                            "type": "returned_adoption",
                            "facility": adoption["facility"],
                            "source": None,
                            "condition": "healthy" if rng.random() < 0.85 else "treatable",
                            "species": animal["species"],
                        },
                        animal,
                    )
                )

    def location_on(self, legs: list, day: date) -> dict:
        here = legs[0]["facility"]
        for leg in legs:
            if leg["start"] <= day and (leg["end"] is None or day <= leg["end"]):
                here = leg["facility"]
        return here

    def add_medical_events(self, intake, animal, legs, outcome_type, outcome_day) -> None:
        rng = self.rng
        species = animal["species"]
        first = intake["date"]
        last = outcome_day or END
        if outcome_type == "return_to_owner" and rng.random() < 0.5:
            return

        def event(day: date, etype: str, procedure: str, low: float, high: float) -> None:
            day = clamp(day, first, last)
            facility = self.location_on(legs, day)
            vets = [
                p
                for p in self.partners
                if p["type"] == "veterinary_clinic"
                and p["region"] == facility["region"]
                and p["agreement_start"] <= day
            ]
            vet = rng.choice(vets) if vets and rng.random() < 0.3 else None
            self.medical.append(
                {
                    "animal": animal,
                    "facility": facility,
                    "date": day,
                    "type": etype,
                    "procedure": procedure,
                    "cost": cents(rng, low, high),
                    "vet": vet,
                }
            )

        event(first + timedelta(days=rng.randint(0, 1)), "exam", "Intake exam", 45, 95)
        if species in VACCINES:
            event(
                first + timedelta(days=rng.randint(0, 2)),
                "vaccination",
                VACCINES[species][0],
                18,
                45,
            )
            if species in ("dog", "cat") and animal["age_days"] > 100 and rng.random() < 0.3:
                event(
                    first + timedelta(days=rng.randint(0, 5)),
                    "vaccination",
                    "Rabies vaccine",
                    20,
                    40,
                )
            if animal["age_days"] < 200 and days_between(first, last) > 24 and rng.random() < 0.5:
                event(
                    first + timedelta(days=rng.randint(21, 24)),
                    "vaccination",
                    VACCINES[species][0] + " booster",
                    18,
                    45,
                )
        arrivals = [
            leg
            for leg in legs
            if leg["arrived_by"] is not None and leg["arrived_by"]["miles"] > 100
        ]
        if arrivals and rng.random() < 0.5:
            event(arrivals[0]["start"], "exam", "Arrival exam", 40, 80)
        city_start = next(
            (leg["start"] for leg in legs if leg["facility"]["type"] != "rural_partner_shelter"),
            None,
        )
        if not animal["fixed"] and species != "other" and city_start is not None:
            window = days_between(city_start + timedelta(days=2), last - ONE_DAY)
            wants = 0.95 if outcome_type == "adoption" else 0.5
            if window >= 0 and rng.random() < wants:
                low, high = {"dog": (180, 420), "cat": (90, 220), "rabbit": (120, 250)}[species]
                procedure = {"male": "Neuter", "female": "Spay"}.get(animal["sex"], "Spay/neuter")
                event(
                    city_start + timedelta(days=2 + rng.randint(0, min(window, 14))),
                    "spay_neuter",
                    procedure,
                    low,
                    high,
                )
                animal["fixed"] = True
        n_treatments = {
            "healthy": 0,
            "treatable": rng.randint(1, 2),
            "unhealthy": rng.randint(2, 3),
        }[intake["condition"]]
        if rng.random() < 0.2:
            event(first + timedelta(days=rng.randint(0, 3)), "treatment", "Deworming", 15, 40)
        options = [
            name
            for name, (_, kinds) in TREATMENTS.items()
            if species in kinds and name != "Deworming"
        ]
        for _ in range(n_treatments):
            name = rng.choice(options)
            (low, high), _ = TREATMENTS[name]
            event(
                first + timedelta(days=rng.randint(0, max(0, days_between(first, last)))),
                "treatment",
                name,
                low,
                high,
            )
        if outcome_type == "adoption" and outcome_day is not None and rng.random() < 0.2:
            event(
                outcome_day - timedelta(days=rng.randint(0, 2)), "exam", "Pre-adoption exam", 40, 75
            )

    # ---- adoption paperwork ---------------------------------------------------------------

    def new_adopter(self, region: str, facility_state: str, first_seen: datetime) -> dict:
        rng = self.rng
        states = STATES_BY_REGION[region]
        state = facility_state if rng.random() < 0.6 else rng.choice(states)
        first, last = self.person()
        adopter = {
            "first": first,
            "last": last,
            "email": self.email(first, last),
            "phone": self.phone(state),
            "city": rng.choice(list(STATE_BY_CODE[state][4])),
            "state": state,
            "region": region,
            "created_at": first_seen
            - timedelta(hours=rng.randint(0, 60), minutes=rng.randint(0, 59)),
        }
        self.adopters.append(adopter)
        return adopter

    def add_lead(self, adopter: dict, submitted: date) -> dict | None:
        rng = self.rng
        created = at_time(rng, submitted - timedelta(days=rng.randint(0, 14)), 6, 23)
        if created.date() < START:
            return None
        campaign = self.active_campaign(created.date(), "adoption", adopter["region"])
        lead = self.new_lead(created, adopter["email"], adopter["state"], "adopt", campaign)
        adopter["created_at"] = min(
            adopter["created_at"], created - timedelta(minutes=rng.randint(5, 600))
        )
        return lead

    def new_lead(self, created: datetime, email: str, state: str, interest: str, campaign) -> dict:
        rng = self.rng
        if campaign is not None and rng.random() < 0.65:
            channel = pick(rng, {"social": 50, "search": 30, "email": 20})
        else:
            campaign = None
            channel = pick(rng, {"direct": 35, "referral": 20, "search": 25, "social": 20})
        lead = {
            "created_at": created,
            "email": email,
            "state": state,
            "interest": interest,
            "campaign": campaign,
            "channel": channel,
        }
        self.leads.append(lead)
        return lead

    def add_application(
        self, adopter, animal, facility, submitted: date, status: str, decided
    ) -> dict:
        rng = self.rng
        lead_p = 0.35 + 0.07 * (submitted.year - 2021)
        lead = self.add_lead(adopter, submitted) if rng.random() < lead_p else None
        app = {
            "adopter": adopter,
            "animal": animal,
            "facility": facility,
            "submitted": submitted,
            "status": status,
            "decided": decided,
            "lead": lead,
        }
        first_seen = at_time(rng, submitted)
        adopter["created_at"] = min(adopter["created_at"], first_seen)
        self.applications.append(app)
        return app

    def add_adoption(self, intake, animal, legs) -> dict:
        rng = self.rng
        last = legs[-1]
        facility, day = last["facility"], last["end"]
        region = facility["region"]
        earlier = [
            a
            for a in self.adopters[-400:]
            if a["region"] == region and a.get("adopted") and a["created_at"].date() < day
        ]
        if earlier and rng.random() < 0.1:
            adopter = rng.choice(earlier)
        else:
            adopter = self.new_adopter(region, facility["state"], at_time(rng, day))
        adopter["adopted"] = True
        application = None
        if rng.random() < 0.85:
            submitted = max(intake["date"], day - timedelta(days=rng.randint(1, 10)))
            decided = submitted + timedelta(
                days=rng.randint(0, min(4, days_between(submitted, day)))
            )
            application = self.add_application(
                adopter, animal, facility, submitted, "approved", decided
            )
            if rng.random() < 0.25:
                other_day = intake["date"] + timedelta(
                    days=rng.randint(0, days_between(intake["date"], day))
                )
                other = self.new_adopter(region, facility["state"], at_time(rng, other_day))
                status = "rejected" if rng.random() < 0.5 else "withdrawn"
                other_decided = other_day + timedelta(
                    days=rng.randint(0, days_between(other_day, day))
                )
                self.add_application(other, animal, facility, other_day, status, other_decided)
        event = next(
            (e for e in self.events_by_facility.get(facility["id"], []) if e["date"] == day), None
        )
        if event is not None and rng.random() > 0.9:
            event = None
        young = animal["age_days"] < 200
        senior = animal["age_days"] > 8 * 365
        fee = {
            "dog": 350 if young else 250,
            "cat": 150 if young else 100,
            "rabbit": 75,
            "other": 40,
        }[animal["species"]]
        if senior:
            fee = fee // 2
        if event is not None and rng.random() < 0.4:
            fee = 0 if rng.random() < 0.3 else fee // 2
        adoption = {
            "animal": animal,
            "intake": intake,
            "adopter": adopter,
            "facility": facility,
            "date": day,
            "fee": fee * 100,
            "application": application,
            "event": event,
        }
        self.adoptions.append(adoption)
        return adoption

    def add_pending_applications(self, intake, animal, legs) -> None:
        rng = self.rng
        last = legs[-1]
        if last["kind"] != "stay" or rng.random() > 0.35:
            return
        submitted = max(last["start"], END - timedelta(days=rng.randint(0, 20)))
        adopter = self.new_adopter(
            last["facility"]["region"], last["facility"]["state"], at_time(rng, submitted)
        )
        self.add_application(adopter, animal, last["facility"], submitted, "pending", None)

    def build_animals(self) -> None:
        planned = self.plan_intakes()
        queue = []
        for day, species in planned:
            intake = self.choose_intake(day, species)
            animal = self.new_animal(species, day, intake["facility"]["region"])
            self.simulate_intake(intake, animal, queue)
        while queue:  # animals brought back by their adopters start a new journey
            intake, animal = queue.pop(0)
            self.simulate_intake(intake, animal, queue)
        self.build_other_leads()
        assign_ids(self.animals, "ANI", 6, lambda a: (a["created_at"], a["name"], a["breed"]))
        assign_ids(self.intakes, "INT", 6, lambda i: (i["date"], i["animal"]["id"]))
        assign_ids(self.transports, "TRN", 6, lambda t: (t["departed"], t["animal"]["id"]))
        assign_ids(
            self.stays, "STY", 6, lambda s: (s["start"], s["animal"]["id"], s["intake"]["id"])
        )
        assign_ids(self.fosters, "FOS", 5, lambda f: (f["start"], f["animal"]["id"]))
        assign_ids(
            self.medical,
            "MED",
            6,
            lambda m: (m["date"], m["animal"]["id"], m["type"], m["procedure"]),
        )
        assign_ids(self.adopters, "ADR", 6, lambda a: (a["created_at"], a["last"], a["first"]))
        assign_ids(self.adoptions, "ADO", 6, lambda a: (a["date"], a["animal"]["id"]))
        assign_ids(self.outcomes, "OUT", 6, lambda o: (o["date"], o["intake"]["id"]))
        assign_ids(self.leads, "LEAD", 6, lambda lead: (lead["created_at"], lead["email"]))
        assign_ids(
            self.applications,
            "APP",
            6,
            lambda a: (a["submitted"], a["animal"]["id"], a["adopter"]["id"]),
        )

    def build_other_leads(self) -> None:
        rng = self.rng
        sampler = DaySampler(
            START, END, lambda d: (1 + 0.2 * (d.year - 2021)) * (1.4 if d.month in (5, 6) else 1.0)
        )
        goals = {
            "foster": "volunteering",
            "volunteer": "volunteering",
            "donate": "fundraising",
            "adopt": "adoption",
        }
        for _ in range(2600):
            created = at_time(rng, sampler.sample(rng), 6, 23)
            state = rng.choice(STATES)[0]
            interest = pick(rng, {"foster": 30, "volunteer": 35, "donate": 20, "adopt": 15})
            first, last = self.person()
            campaign = self.active_campaign(
                created.date(), goals[interest], self.region_of_state(state)
            )
            self.new_lead(created, self.email(first, last), state, interest, campaign)

    # ---- people ops -----------------------------------------------------------------------

    def build_employees(self) -> None:
        rng = self.rng
        departments = {
            "rescue_operations": (
                140,
                [
                    ("Animal Care Technician", "B1", 30),
                    ("Kennel Attendant", "B1", 15),
                    ("Transport Driver", "B1", 10),
                    ("Veterinary Technician", "B2", 14),
                    ("Adoption Counselor", "B2", 14),
                    ("Foster Coordinator", "B3", 5),
                    ("Shelter Manager", "B4", 6),
                    ("Regional Operations Director", "B5", 2),
                ],
            ),
            "people_ops": (
                16,
                [
                    ("HR Assistant", "B2", 3),
                    ("Volunteer Coordinator", "B2", 5),
                    ("HR Business Partner", "B3", 3),
                    ("Partnerships Manager", "B4", 2),
                    ("Director of HR", "B5", 1),
                    ("VP of Partnerships", "B6", 1),
                ],
            ),
            "finance": (
                16,
                [
                    ("Accounts Assistant", "B2", 4),
                    ("Finance Analyst", "B3", 5),
                    ("Grants Manager", "B4", 2),
                    ("Director of Finance", "B5", 1),
                ],
            ),
            "marketing": (
                18,
                [
                    ("Marketing Coordinator", "B2", 5),
                    ("Marketing Analyst", "B3", 4),
                    ("Events Manager", "B3", 3),
                    ("Lead Marketing Analyst", "B4", 1),
                    ("Head of Marketing", "B5", 1),
                ],
            ),
            "data_platform": (
                14,
                [
                    ("Data Analyst", "B3", 4),
                    ("Analytics Engineer", "B3", 4),
                    ("Data Engineer", "B4", 4),
                    ("Head of Data", "B5", 1),
                ],
            ),
            "leadership": (
                8,
                [
                    ("Executive Director", "B6", 1),
                    ("Chief Operating Officer", "B6", 1),
                    ("Regional Director", "B5", 4),
                ],
            ),
        }
        hire_sampler = DaySampler(
            date(2013, 1, 1), date(2025, 11, 30), lambda d: 1.0 + 0.35 * max(0, d.year - 2016)
        )
        for department, (headcount, titles) in departments.items():
            for _ in range(headcount):
                title, band, _ = titles[
                    rng.choices(range(len(titles)), weights=[t[2] for t in titles], k=1)[0]
                ]
                if (
                    rng.random() < 0.15 and band != "B6"
                ):  # some people sit a band above the usual one
                    band = f"B{int(band[1]) + 1}"
                hired = hire_sampler.sample(rng)
                leave = None
                if rng.random() < 0.33:
                    leave = hired + timedelta(days=rng.randint(120, 2600))
                    if leave > END:
                        leave = None
                    elif leave < START:  # everyone in the export still worked here in 2021 or later
                        leave = START + timedelta(days=rng.randint(10, 400))
                facility = None
                if department == "rescue_operations" and title != "Regional Operations Director":
                    kinds = (
                        ("foster_network",)
                        if title == "Foster Coordinator"
                        else ("rural_partner_shelter", "rainbow_road_shelter")
                        if title == "Transport Driver"
                        else ("rainbow_road_shelter", "adoption_centre")
                    )
                    options = [
                        f
                        for f in self.facilities
                        if f["type"] in kinds and f["opened"] <= max(hired, START)
                    ]
                    facility = rng.choice(options)
                    if facility["opened"] > hired:
                        hired = facility["opened"] + timedelta(days=rng.randint(0, 60))
                elif department == "marketing" and title == "Events Manager":
                    facility = rng.choice(
                        [
                            f
                            for f in self.facilities
                            if f["type"] == "adoption_centre" and f["opened"] <= max(hired, START)
                        ]
                    )
                    hired = max(hired, facility["opened"])
                if leave is not None and leave <= hired:
                    leave = hired + timedelta(days=rng.randint(90, 500))
                    leave = None if leave > END else leave
                first, last = self.person()
                gender = pick(rng, {"woman": 58, "man": 34, "non_binary": 4, "undisclosed": 4})
                self.employees.append(
                    {
                        "first": first,
                        "last": last,
                        "department": department,
                        "title": title,
                        "band": band,
                        "facility": facility,
                        "hired": hired,
                        "left": leave,
                        "gender": gender,
                    }
                )
        assign_ids(self.employees, "EMP", 4, lambda e: (e["hired"], e["last"], e["first"]))
        self.build_trainings()

    def build_trainings(self) -> None:
        rng = self.rng
        optional = {
            "rescue_operations": [
                "Fear Free handling",
                "First aid for pets",
                "Canine behaviour basics",
                "Feline behaviour basics",
            ],
            "people_ops": ["Inclusive hiring", "Volunteer management", "Partnership agreements"],
            "finance": ["Grant reporting", "Spreadsheet modelling", "Nonprofit accounting"],
            "marketing": ["Digital campaign basics", "Event safety", "SQL for analysts"],
            "data_platform": [
                "dbt fundamentals",
                "SQL for analysts",
                "Data modelling",
                "dbt Mesh basics",
            ],
            "leadership": ["Leadership foundations", "Board governance"],
        }
        for e in sorted(self.employees, key=lambda e: e["id"]):
            first, last = max(e["hired"], START), min(e["left"] or END, END)
            if first > last:
                continue
            courses = []
            if e["hired"] >= START:
                courses += [("Code of conduct", True, 1.5), ("Data protection basics", True, 1.0)]
                if e["department"] == "rescue_operations":
                    courses.append(("Animal handling safety", True, 3.0))
                for name, mandatory, hours in courses:
                    self.trainings.append(
                        {
                            "employee": e,
                            "course": name,
                            "mandatory": mandatory,
                            "date": min(last, e["hired"] + timedelta(days=rng.randint(0, 30))),
                            "hours": hours,
                        }
                    )
            for year in range(first.year, last.year + 1):
                day = date(year, rng.randint(1, 12), rng.randint(1, 28))
                if first <= day <= last:
                    self.trainings.append(
                        {
                            "employee": e,
                            "course": "Annual conduct refresher",
                            "mandatory": True,
                            "date": day,
                            "hours": 1.0,
                        }
                    )
                    if e["department"] == "rescue_operations":
                        self.trainings.append(
                            {
                                "employee": e,
                                "course": "Annual safety refresher",
                                "mandatory": True,
                                "date": min(last, day + timedelta(days=rng.randint(0, 20))),
                                "hours": 2.0,
                            }
                        )
            for _ in range(rng.randint(0, 3)):
                day = first + timedelta(days=rng.randint(0, days_between(first, last)))
                self.trainings.append(
                    {
                        "employee": e,
                        "course": rng.choice(optional[e["department"]]),
                        "mandatory": False,
                        "date": day,
                        "hours": rng.choice([1.5, 2.0, 3.0, 4.0, 6.0, 7.5, 8.0]),
                    }
                )
        assign_ids(
            self.trainings, "TRG", 5, lambda t: (t["date"], t["employee"]["id"], t["course"])
        )

    # ---- fundraising ----------------------------------------------------------------------

    def build_donors(self) -> None:
        rng = self.rng

        def giving_weight(d: date) -> float:
            w = [0.7, 0.7, 0.9, 0.8, 0.8, 0.8, 0.8, 0.8, 0.9, 1.0, 1.3, 3.2][d.month - 1]
            thanksgiving = date(d.year, 11, 22 + (3 - date(d.year, 11, 1).weekday()) % 7)
            if d == thanksgiving + timedelta(days=5):  # the Tuesday after Thanksgiving
                w *= 8
            if d.month == 12 and d.day >= 29:
                w *= 3
            return w * (1 + 0.15 * (d.year - 2021))

        gift_sampler = DaySampler(START, END, giving_weight)
        flat_sampler = DaySampler(
            START, END - timedelta(days=60), lambda d: 1 + 0.15 * (d.year - 2021)
        )
        old_sampler = DaySampler(date(2016, 1, 1), date(2020, 12, 31), lambda d: 1.0)
        foundation_words = [
            "Hollis",
            "Marigold",
            "Birchwood",
            "Calloway",
            "Redfern",
            "Ashgrove",
            "Penhale",
            "Whitcombe",
            "Larkspur",
            "Thornbury",
        ]
        company_words = [
            "Summit",
            "Bluebird",
            "Keystone",
            "Riverside",
            "Copperline",
            "Evergreen",
            "Lighthouse",
            "Granite",
            "Sunbelt",
            "Prairie",
        ]
        company_kinds = [
            "Pet Supply Co.",
            "Credit Union",
            "Veterinary Group",
            "Realty",
            "Software",
            "Grocers",
            "Logistics",
            "Insurance",
        ]
        for n in range(2100):
            donor_type = pick(rng, {"individual": 88, "foundation": 5, "corporate": 7})
            state = rng.choice(STATES)[0]
            if donor_type == "individual":
                first, last = self.person()
                name, email = (
                    f"{first} {last}",
                    self.email(first, last) if rng.random() < 0.9 else None,
                )
            elif donor_type == "foundation":
                name = f"The {rng.choice(foundation_words)} {rng.choice(['Family Foundation', 'Foundation', 'Charitable Trust'])}"
                email = (
                    f"grants@{name.split()[1].lower()}{n}.example.org"
                    if rng.random() < 0.6
                    else None
                )
            else:
                name = f"{rng.choice(company_words)} {rng.choice(company_kinds)}"
                email = (
                    f"giving@{name.split()[0].lower()}{n}.example.com"
                    if rng.random() < 0.7
                    else None
                )
            old = rng.random() < 0.3
            donor = {
                "type": donor_type,
                "name": name,
                "email": email,
                "state": state,
                "region": self.region_of_state(state),
            }
            recurring = donor_type == "individual" and rng.random() < 0.1
            first_gift = flat_sampler.sample(rng) if recurring else gift_sampler.sample(rng)
            donor["created"] = old_sampler.sample(rng) if old else first_gift
            self.donors.append(donor)
            if recurring:
                amount = rng.choice([10, 15, 20, 25, 25, 50]) * 100
                method = pick(rng, {"card": 75, "paypal": 20, "bank_transfer": 5})
                for k in range(rng.randint(6, 36)):
                    day = add_months(first_gift, k)
                    if day > END:
                        break
                    self.add_donation(donor, day, amount, method, True)
                continue
            if donor_type == "individual":
                gifts = [first_gift] + [gift_sampler.sample(rng) for _ in range(poisson(rng, 1.2))]
            else:
                gifts = [first_gift] + [gift_sampler.sample(rng) for _ in range(rng.randint(0, 3))]
            for day in sorted(gifts):
                if day < donor["created"]:
                    continue
                if donor_type == "individual":
                    dollars = (
                        rng.uniform(2000, 25000)
                        if rng.random() < 0.02
                        else 10 * math.exp(rng.gauss(2.0, 1.0))
                    )
                    amount = int(min(25000, dollars)) * 100 + rng.choice([0, 0, 0, 50])
                    method = pick(rng, {"card": 60, "paypal": 18, "check": 15, "bank_transfer": 7})
                elif donor_type == "foundation":
                    amount = rng.randint(10, 100) * 100000
                    method = pick(rng, {"bank_transfer": 70, "check": 30})
                else:
                    amount = rng.randint(5, 50) * 100000
                    method = pick(rng, {"bank_transfer": 50, "check": 30, "card": 20})
                self.add_donation(donor, day, max(500, amount), method, False)
        assign_ids(self.donors, "DNR", 5, lambda d: (d["created"], d["name"]))
        assign_ids(self.donations, "DON", 6, lambda d: (d["at"], d["donor"]["id"]))

    def add_donation(self, donor, day: date, amount: int, method: str, recurring: bool) -> None:
        rng = self.rng
        campaign = None
        if not recurring:
            campaign = self.active_campaign(day, "fundraising", donor["region"])
            if campaign is not None and rng.random() > 0.55:
                campaign = None
        designate = {"individual": 0.1, "foundation": 0.5, "corporate": 0.3}[donor["type"]]
        region = None
        if rng.random() < designate:
            region = (
                donor["region"]
                if rng.random() < 0.6
                else pick(rng, {"SE": 50, "SW": 30, "NE": 5, "MW": 5, "WE": 10})
            )
        hour_from, hour_to = (0, 6) if recurring else (7, 23)
        self.donations.append(
            {
                "donor": donor,
                "at": at_time(rng, day, hour_from, hour_to),
                "amount": amount,
                "method": method,
                "campaign": campaign,
                "recurring": recurring,
                "region": region,
            }
        )

    def build_grants(self) -> None:
        rng = self.rng
        funders = [
            "Hollis Family Foundation",
            "Greater Atlanta Community Fund",
            "Companion Animal Futures Trust",
            "Lone Star Animal Welfare Fund",
            "Great Lakes Pet Alliance",
            "Pacific Paws Foundation",
            "Northeast Humane Giving Circle",
            "Desert Springs Foundation",
            "Open Road Rescue Fund",
            "Second Chances Fund",
            "Birchwood Charitable Trust",
            "Marigold Foundation",
        ]
        purposes = {
            "rural_transport": 35,
            "medical_care": 25,
            "adoption_centres": 20,
            "general_operations": 20,
        }
        regions = {"SE": 35, "SW": 25, "NE": 15, "MW": 12, "WE": 13}
        sampler = DaySampler(START, date(2024, 11, 15), lambda d: 1.0)
        live = [
            (o["date"], o["facility"]["region"])
            for o in self.outcomes
            if o["type"] in ("adoption", "return_to_owner", "transfer_to_partner")
        ]
        while len(self.grants) < 34:
            awarded = sampler.sample(rng)
            start = awarded + timedelta(days=rng.randint(14, 45))
            region = pick(rng, regions)
            if not self.open_facilities(region, ("rainbow_road_shelter", "adoption_centre"), start):
                continue
            purpose = pick(rng, purposes)
            if purpose == "rural_transport" and not self.open_facilities(
                region, ("rural_partner_shelter",), start
            ):
                purpose = "general_operations"
            months = 24 if rng.random() < 0.3 and add_months(start, 24) - ONE_DAY <= END else 12
            amount = rng.randint(4, 60) * 500000 * (1.5 if region in ("SE", "SW") else 1)
            amount = int(amount)
            end = add_months(start, months) - ONE_DAY
            # targets are set from what the region can plausibly release alive, so some are met and some missed
            expected = sum(1 for day, r in live if r == region and start <= day <= end)
            self.grants.append(
                {
                    "funder": rng.choice(funders),
                    "awarded": awarded,
                    "amount": amount,
                    "start": start,
                    "end": end,
                    "region": region,
                    "purpose": purpose,
                    "target": max(10, 5 * round(expected * rng.uniform(0.75, 1.25) / 5)),
                    "remaining": amount,
                }
            )
        assign_ids(self.grants, "GRT", 3, lambda g: (g["awarded"], g["funder"]))

    def build_expenses(self) -> None:
        rng = self.rng
        vendors = {
            "medical": [
                "Peachtree Veterinary Clinic",
                "Lone Star Veterinary Partners",
                "Allied Vet Supply",
                "PetMed Wholesale",
                "Lakefront Veterinary Clinic",
            ],
            "transport": [
                "Open Road Pet Transport",
                "Second Chance Haulers",
                "Fleet Fuel Card Services",
                "Highway Van Rentals",
                "Paws on Wheels Logistics",
            ],
            "animal_food": [
                "Bright Bowl Pet Foods",
                "Kibble Direct",
                "Farmhouse Feed Store",
                "Whisker Wholesale",
            ],
            "payroll": ["Payroll run", "Benefits provider", "Payroll taxes"],
            "marketing": [
                "Social ads invoice",
                "Search ads invoice",
                "Print Shop Partners",
                "Community Radio Network",
            ],
            "facilities": [
                "City Utilities",
                "Property rent",
                "Cleanline Janitorial",
                "HVAC Repair Co.",
            ],
            "admin": [
                "Office Supplies Depot",
                "Cloud software subscription",
                "Insurance premium",
                "Bank fees",
            ],
        }
        plans = {  # category, monthly amount range in dollars per facility type
            "rainbow_road_shelter": [
                ("animal_food", 1500, 5000),
                ("facilities", 3000, 9000),
                ("medical", 2000, 9000),
                ("payroll", 15000, 35000),
                ("transport", 500, 2500),
            ],
            "adoption_centre": [
                ("animal_food", 700, 2500),
                ("facilities", 2500, 7000),
                ("medical", 800, 4000),
                ("payroll", 8000, 18000),
            ],
            "rural_partner_shelter": [("transport", 800, 4000), ("medical", 500, 3000)],
            "foster_network": [("animal_food", 300, 1500), ("medical", 300, 2000)],
            None: [
                ("payroll", 40000, 90000),
                ("marketing", 3000, 12000),
                ("admin", 2000, 8000),
                ("facilities", 2500, 5000),
            ],
        }
        purpose_of = {"medical": "medical_care", "transport": "rural_transport"}
        sites = [None] + self.facilities
        for m_start in month_starts(START, END):
            growth = 0.7 * (1 + 0.08 * (m_start.year - 2021))  # costs rise as the network grows
            m_days = calendar.monthrange(m_start.year, m_start.month)[1]
            for site in sites:
                if site is not None and site["opened"] > m_start:
                    continue
                for category, low, high in plans[None if site is None else site["type"]]:
                    parts = 1 if category == "payroll" else rng.choice([1, 1, 1, 2])
                    for _ in range(parts):
                        amount = cents(rng, low * growth / parts, high * growth / parts)
                        day = m_start + timedelta(
                            days=m_days - 1 if category == "payroll" else rng.randint(0, m_days - 1)
                        )
                        grant = None
                        if site is not None:
                            wanted = [purpose_of.get(category), "general_operations"]
                            if site["type"] == "adoption_centre":
                                wanted.append("adoption_centres")
                            options = [
                                g
                                for g in self.grants
                                if g["region"] == site["region"]
                                and g["purpose"] in wanted
                                and g["start"] <= day <= g["end"]
                                and g["remaining"] >= amount
                            ]
                            if options and rng.random() < 0.45:
                                grant = rng.choice(options)
                                grant["remaining"] -= amount
                        self.expenses.append(
                            {
                                "date": day,
                                "facility": site,
                                "category": category,
                                "amount": amount,
                                "vendor": rng.choice(vendors[category]),
                                "grant": grant,
                            }
                        )
        assign_ids(
            self.expenses,
            "EXP",
            6,
            lambda e: (
                e["date"],
                e["facility"]["id"] if e["facility"] else "",
                e["category"],
                e["amount"],
            ),
        )

    def build(self) -> None:
        self.build_reference()
        self.build_campaigns()
        self.build_adoption_events()
        self.build_volunteers()
        self.build_animals()
        self.build_shifts()
        self.build_employees()
        self.build_donors()
        self.build_grants()
        self.build_expenses()
        self.weigh_intakes()

    def weigh_intakes(self) -> None:
        """Weights are taken at intake; puppies and kittens are light, and some forms leave it blank."""
        rng = self.rng
        adult_range = {"dog": (6, 38), "cat": (3, 6.5), "rabbit": (1.2, 3.5), "other": (0.1, 1.5)}
        for i in sorted(self.intakes, key=lambda i: i["id"]):
            animal = i["animal"]
            age_years = (i["date"] - animal["created_at"].date()).days / 365 + animal[
                "age_days"
            ] / 365
            adult = rng.uniform(*adult_range[animal["species"]])
            grown = min(1.0, 0.15 + age_years)
            i["weight"] = max(0.1, round(adult * grown, 1)) if rng.random() > 0.06 else None


# --------------------------------------------------------------------------------------------
# Rendering: one list of text rows per raw table
# --------------------------------------------------------------------------------------------


def ref_id(record):
    return None if record is None else record["id"]


def render(w: World, nz: Noise) -> dict:
    t = {}
    t["regions"] = (["region_id", "region_name"], [[r["id"], r["name"]] for r in w.regions])
    t["states"] = (
        ["state_code", "state_name", "region_id"],
        [[s["code"], nz.text(s["name"], 0.1), nz.ident(s["region"], 0.15)] for s in w.states],
    )
    t["facilities"] = (
        [
            "facility_id",
            "facility_name",
            "facility_type",
            "city",
            "state",
            "opened_date",
            "capacity",
            "partner_id",
        ],
        [
            [
                nz.ident(f["id"], 0.1),
                nz.text(f["name"], 0.1),
                "Adoption Center"
                if f["type"] == "adoption_centre" and nz.chance(0.3)
                else nz.category(f["type"], 0.4),
                nz.text(f["city"], 0.1),
                nz.state(f["state"], 0.3),
                nz.date(f["opened"], 0.4, 0.1),
                nz.integer(f["capacity"], "places", 0.2) if f["capacity"] else nz.missing(),
                nz.ident(ref_id(f["partner"]), 0.2),
            ]
            for f in w.facilities
        ],
    )
    t["partner_organisations"] = (
        [
            "partner_id",
            "partner_name",
            "partner_type",
            "state",
            "agreement_start_date",
            "contact_email",
        ],
        [
            [
                nz.ident(p["id"], 0.1),
                nz.text(p["name"], 0.1),
                nz.category(p["type"], 0.4),
                nz.state(p["state"], 0.3),
                nz.date(p["agreement_start"], 0.4, 0.1),
                p["email"].upper() if nz.chance(0.1) else nz.text(p["email"], 0.1),
            ]
            for p in w.partners
        ],
    )
    t["animals"] = (
        [
            "animal_id",
            "name",
            "species",
            "breed",
            "sex",
            "estimated_birth_date",
            "colour",
            "microchip_number",
            "created_at",
        ],
        [
            [
                nz.ident(a["id"]),
                nz.text(a["name"]),
                nz.category(a["species"], 0.15),
                nz.text(a["breed"]),
                nz.r.choice(
                    {
                        "male": ["M", "Male", "male"],
                        "female": ["F", "Female", "female"],
                        "unknown": ["U", "Unknown", "unknown", ""],
                    }[a["sex"]]
                )
                if nz.chance(0.5)
                else a["sex"],
                nz.date(a["birth"]),
                nz.text(a["colour"]),
                nz.ident(a["microchip"], 0.02) if a["microchip"] else nz.missing(),
                nz.timestamp(a["created_at"]),
            ]
            for a in sorted(w.animals, key=lambda a: a["id"])
        ],
    )
    t["intakes"] = (
        [
            "intake_id",
            "animal_id",
            "facility_id",
            "intake_date",
            "intake_type",
            "source_partner_id",
            "condition",
            "weight",
        ],
        [
            [
                nz.ident(i["id"]),
                nz.ident(i["animal"]["id"]),
                nz.ident(i["facility"]["id"]),
                nz.date(i["date"]),
                nz.category(i["type"]),
                nz.ident(ref_id(i["source"])),
                nz.category(i["condition"]),
                nz.measure(i["weight"], "kg") if i["weight"] is not None else nz.missing(),
            ]
            for i in sorted(w.intakes, key=lambda i: i["id"])
        ],
    )
    t["transports"] = (
        [
            "transport_id",
            "animal_id",
            "intake_id",
            "from_facility_id",
            "to_facility_id",
            "departed_at",
            "arrived_at",
            "distance_miles",
            "transport_partner_id",
        ],
        [
            [
                nz.ident(x["id"]),
                nz.ident(x["animal"]["id"]),
                nz.ident(x["intake"]["id"]),
                nz.ident(x["from"]["id"]),
                nz.ident(x["to"]["id"]),
                nz.timestamp(x["departed"]),
                nz.timestamp(x["arrived"]),
                nz.integer(x["miles"], "mi", 0.08),
                nz.ident(ref_id(x["partner"])),
            ]
            for x in sorted(w.transports, key=lambda x: x["id"])
        ],
    )
    t["shelter_stays"] = (
        [
            "stay_id",
            "animal_id",
            "intake_id",
            "facility_id",
            "start_date",
            "end_date",
            "kennel_code",
        ],
        [
            [
                nz.ident(s["id"]),
                nz.ident(s["animal"]["id"]),
                nz.ident(s["intake"]["id"]),
                nz.ident(s["facility"]["id"]),
                nz.date(s["start"]),
                nz.date(s["end"]),
                nz.ident(s["kennel"], 0.05),
            ]
            for s in sorted(w.stays, key=lambda s: s["id"])
        ],
    )
    t["foster_placements"] = (
        [
            "placement_id",
            "animal_id",
            "intake_id",
            "facility_id",
            "volunteer_id",
            "start_date",
            "end_date",
        ],
        [
            [
                nz.ident(f["id"]),
                nz.ident(f["animal"]["id"]),
                nz.ident(f["intake"]["id"]),
                nz.ident(f["facility"]["id"]),
                nz.ident(f["carer"]["id"]),
                nz.date(f["start"], 0.15, 0.05),
                nz.date(f["end"], 0.15, 0.05),
            ]
            for f in sorted(w.fosters, key=lambda f: f["id"])
        ],
    )
    t["medical_events"] = (
        [
            "medical_event_id",
            "animal_id",
            "facility_id",
            "event_date",
            "event_type",
            "procedure_name",
            "cost",
            "vet_partner_id",
        ],
        [
            [
                nz.ident(m["id"]),
                nz.ident(m["animal"]["id"]),
                nz.ident(m["facility"]["id"]),
                nz.date(m["date"]),
                "Spay/Neuter"
                if m["type"] == "spay_neuter" and nz.chance(0.2)
                else nz.category(m["type"]),
                nz.text(m["procedure"]),
                nz.money(m["cost"]),
                nz.ident(ref_id(m["vet"])),
            ]
            for m in sorted(w.medical, key=lambda m: m["id"])
        ],
    )
    t["adopters"] = (
        ["adopter_id", "first_name", "last_name", "email", "phone", "city", "state", "created_at"],
        [
            [
                nz.ident(a["id"]),
                nz.text(a["first"]),
                nz.text(a["last"]),
                a["email"].capitalize() if nz.chance(0.08) else nz.text(a["email"], 0.05),
                nz.r.choice(
                    [
                        a["phone"],
                        a["phone"].replace("(", "").replace(") ", "-"),
                        "+1 " + a["phone"].replace("(", "").replace(")", "").replace("-", " "),
                        a["phone"].replace("(", "").replace(") ", ".").replace("-", "."),
                    ]
                ),
                nz.text(a["city"]),
                nz.state(a["state"], 0.15),
                nz.timestamp(a["created_at"]),
            ]
            for a in sorted(w.adopters, key=lambda a: a["id"])
        ],
    )
    t["adoptions"] = (
        [
            "adoption_id",
            "animal_id",
            "intake_id",
            "adopter_id",
            "facility_id",
            "adoption_date",
            "fee",
            "application_id",
            "adoption_event_id",
        ],
        [
            [
                nz.ident(a["id"]),
                nz.ident(a["animal"]["id"]),
                nz.ident(a["intake"]["id"]),
                nz.ident(a["adopter"]["id"]),
                nz.ident(a["facility"]["id"]),
                nz.date(a["date"]),
                nz.money(a["fee"], 0.4),
                nz.ident(ref_id(a["application"])),
                nz.ident(ref_id(a["event"])),
            ]
            for a in sorted(w.adoptions, key=lambda a: a["id"])
        ],
    )
    t["outcomes"] = (
        ["outcome_id", "animal_id", "intake_id", "facility_id", "outcome_date", "outcome_type"],
        [
            [
                nz.ident(o["id"]),
                nz.ident(o["animal"]["id"]),
                nz.ident(o["intake"]["id"]),
                nz.ident(o["facility"]["id"]),
                nz.date(o["date"]),
                nz.category(o["type"], 0.25),
            ]
            for o in sorted(w.outcomes, key=lambda o: o["id"])
        ],
    )
    t["volunteers"] = (
        [
            "volunteer_id",
            "first_name",
            "last_name",
            "email",
            "home_facility_id",
            "joined_date",
            "status",
            "foster_carer",
        ],
        [
            [
                nz.ident(v["id"]),
                nz.text(v["first"]),
                nz.text(v["last"]),
                nz.text(v["email"], 0.05),
                nz.ident(v["home"]["id"]),
                nz.date(v["joined"], 0.2, 0.05),
                nz.category(v["status"], 0.3),
                nz.boolean(v["is_foster"], p=0.4),
            ]
            for v in sorted(w.volunteers, key=lambda v: v["id"])
        ],
    )
    t["volunteer_shifts"] = (
        ["shift_id", "volunteer_id", "facility_id", "shift_date", "hours", "activity"],
        [
            [
                nz.ident(s["id"]),
                nz.ident(s["volunteer"]["id"]),
                nz.ident(s["facility"]["id"]),
                nz.date(s["date"], 0.2, 0.05),
                nz.hours(s["hours"]),
                nz.category(s["activity"]),
            ]
            for s in sorted(w.shifts, key=lambda s: s["id"])
        ],
    )
    gender_words = {
        "woman": ["Woman", "woman", "F", "Female", "female", "W"],
        "man": ["Man", "man", "M", "Male", "male"],
        "non_binary": ["Non-binary", "non binary", "Nonbinary", "non_binary"],
        "undisclosed": ["Prefer not to say", "undisclosed", "", "N/A"],
    }
    t["employees"] = (
        [
            "employee_id",
            "first_name",
            "last_name",
            "department",
            "job_title",
            "pay_band",
            "facility_id",
            "hire_date",
            "leave_date",
            "gender",
        ],
        [
            [
                nz.ident(e["id"]),
                nz.text(e["first"]),
                nz.text(e["last"]),
                nz.category(e["department"], 0.3),
                nz.text(e["title"]),
                nz.r.choice([e["band"].lower(), " " + e["band"], f"Band {e['band'][1]}"])
                if nz.chance(0.2)
                else e["band"],
                nz.ident(ref_id(e["facility"])),
                nz.date(e["hired"], 0.2, 0.05),
                nz.date(e["left"], 0.2, 0.05),
                nz.r.choice(gender_words[e["gender"]]),
            ]
            for e in sorted(w.employees, key=lambda e: e["id"])
        ],
    )
    t["employee_trainings"] = (
        ["training_id", "employee_id", "course_name", "mandatory", "completed_date", "hours"],
        [
            [
                nz.ident(x["id"]),
                nz.ident(x["employee"]["id"]),
                nz.text(x["course"]),
                nz.boolean(x["mandatory"], ("TRUE", "FALSE")),
                nz.date(x["date"], 0.2, 0.05),
                nz.hours(x["hours"]),
            ]
            for x in sorted(w.trainings, key=lambda x: x["id"])
        ],
    )
    t["donors"] = (
        ["donor_id", "donor_type", "donor_name", "email", "state", "created_date"],
        [
            [
                nz.ident(d["id"]),
                nz.category(d["type"], 0.2),
                nz.text(d["name"]),
                nz.text(d["email"], 0.05),
                nz.state(d["state"], 0.2),
                nz.date(d["created"]),
            ]
            for d in sorted(w.donors, key=lambda d: d["id"])
        ],
    )
    method_words = {
        "card": ["Card", "Credit Card", "credit card", "CARD"],
        "check": ["Check", "cheque", "CHECK"],
        "bank_transfer": ["Bank Transfer", "bank transfer", "wire"],
        "paypal": ["PayPal", "Paypal", "PAYPAL"],
    }
    t["donations"] = (
        [
            "donation_id",
            "donor_id",
            "donated_at",
            "amount",
            "payment_method",
            "campaign_code",
            "recurring",
            "designated_region",
        ],
        [
            [
                nz.ident(d["id"]),
                nz.ident(d["donor"]["id"]),
                nz.timestamp(d["at"]),
                nz.money(d["amount"], 0.45),
                nz.r.choice(method_words[d["method"]]) if nz.chance(0.3) else d["method"],
                (
                    d["campaign"]["code"].lower()
                    if nz.chance(0.2)
                    else nz.text(d["campaign"]["code"], 0.05)
                )
                if d["campaign"]
                else nz.missing(),
                nz.boolean(d["recurring"], ("yes", "no"), 0.3),
                nz.ident(d["region"], 0.2),
            ]
            for d in sorted(w.donations, key=lambda d: d["id"])
        ],
    )
    t["grants"] = (
        [
            "grant_id",
            "funder_name",
            "awarded_date",
            "amount",
            "start_date",
            "end_date",
            "reporting_region",
            "purpose",
            "target_live_releases",
        ],
        [
            [
                nz.ident(g["id"], 0.1),
                nz.text(g["funder"]),
                nz.date(g["awarded"], 0.3),
                nz.money(g["amount"], 0.6),
                nz.date(g["start"], 0.3),
                nz.date(g["end"], 0.3),
                nz.ident(g["region"], 0.2),
                nz.category(g["purpose"], 0.3),
                str(g["target"]),
            ]
            for g in sorted(w.grants, key=lambda g: g["id"])
        ],
    )
    t["expenses"] = (
        ["expense_id", "expense_date", "facility_id", "category", "amount", "vendor", "grant_id"],
        [
            [
                nz.ident(e["id"]),
                nz.date(e["date"], 0.15, 0.05),
                nz.ident(ref_id(e["facility"])),
                nz.category(e["category"]),
                nz.money(e["amount"], 0.4),
                nz.text(e["vendor"]),
                nz.ident(ref_id(e["grant"]), 0.1),
            ]
            for e in sorted(w.expenses, key=lambda e: e["id"])
        ],
    )
    t["campaigns"] = (
        [
            "campaign_id",
            "campaign_code",
            "campaign_name",
            "goal",
            "region_id",
            "start_date",
            "end_date",
        ],
        [
            [
                nz.ident(c["id"]),
                c["code"].lower() if nz.chance(0.1) else nz.text(c["code"], 0.1),
                c["name"],
                nz.category(c["goal"], 0.2),
                nz.ident(c["region"], 0.2),
                nz.date(c["start"]),
                nz.date(c["end"]),
            ]
            for c in sorted(w.campaigns, key=lambda c: c["id"])
        ],
    )
    t["campaign_spend"] = (
        ["spend_id", "campaign_id", "spend_date", "channel", "amount"],
        [
            [
                nz.ident(s["id"]),
                nz.ident(s["campaign"]["id"]),
                nz.date(s["date"]),
                nz.category(s["channel"]),
                nz.money(s["amount"]),
            ]
            for s in sorted(w.campaign_spend, key=lambda s: s["id"])
        ],
    )
    t["adoption_events"] = (
        [
            "event_id",
            "event_name",
            "facility_id",
            "event_date",
            "campaign_id",
            "estimated_attendees",
        ],
        [
            [
                nz.ident(e["id"]),
                nz.text(e["name"]),
                nz.ident(e["facility"]["id"]),
                nz.date(e["date"]),
                nz.ident(ref_id(e["campaign"])),
                nz.integer(e["attendees"], "people", 0.05),
            ]
            for e in sorted(w.events, key=lambda e: e["id"])
        ],
    )
    t["web_leads"] = (
        ["lead_id", "created_at", "email", "campaign_code", "channel", "interest", "state"],
        [
            [
                nz.ident(x["id"]),
                nz.timestamp(x["created_at"]),
                nz.text(x["email"], 0.05),
                (x["campaign"]["code"].lower() if nz.chance(0.3) else x["campaign"]["code"])
                if x["campaign"]
                else nz.missing(),
                nz.category(x["channel"]),
                nz.category(x["interest"]),
                nz.state(x["state"], 0.15),
            ]
            for x in sorted(w.leads, key=lambda x: x["id"])
        ],
    )
    t["adoption_applications"] = (
        [
            "application_id",
            "lead_id",
            "adopter_id",
            "animal_id",
            "facility_id",
            "submitted_date",
            "status",
            "decided_date",
        ],
        [
            [
                nz.ident(a["id"]),
                nz.ident(ref_id(a["lead"])),
                nz.ident(a["adopter"]["id"]),
                nz.ident(a["animal"]["id"]),
                nz.ident(a["facility"]["id"]),
                nz.date(a["submitted"]),
                nz.category(a["status"]),
                nz.date(a["decided"]),
            ]
            for a in sorted(w.applications, key=lambda a: a["id"])
        ],
    )
    return t


# Tables where people submitted the same form twice; a few rows appear twice in the export.
DOUBLE_SUBMISSIONS = {
    "intakes": 0.006,
    "medical_events": 0.005,
    "volunteer_shifts": 0.008,
    "donations": 0.007,
    "web_leads": 0.01,
}


def add_double_submissions(tables: dict, rng: random.Random) -> None:
    for name, rate in DOUBLE_SUBMISSIONS.items():
        header, rows = tables[name]
        out = []
        for row in rows:
            out.append(row)
            if rng.random() < rate:
                out.append(list(row))
        tables[name] = (header, out)


def write_tables(tables: dict, out_dir: Path) -> list:
    out_dir.mkdir(parents=True, exist_ok=True)
    summary = []
    for name in sorted(tables):
        header, rows = tables[name]
        path = out_dir / f"{name}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(rows)
        summary.append((name, len(rows), path.stat().st_size))
    return summary


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description="Write Rainbow Road's raw CSV files (deterministic, synthetic)."
    )
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help=f"output folder (default: {DEFAULT_OUT})"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    world = World(SEED)
    world.build()
    tables = render(world, Noise(random.Random(SEED + 1)))
    add_double_submissions(tables, random.Random(SEED + 2))
    summary = write_tables(tables, args.out)
    total = sum(size for _, _, size in summary)
    for name, rows, size in summary:
        print(f"{name:<24} {rows:>7} rows {size / 1024:>8.1f} KiB")
    print(
        f"{len(summary)} tables, {total / 1024 / 1024:.2f} MiB in {args.out} ({time.perf_counter() - started:.1f} s)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
