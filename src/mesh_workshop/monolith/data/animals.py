"""Animals and their intakes: who arrives, when, where and from whom, and what they weigh."""

from __future__ import annotations

from datetime import date, timedelta

from .helpers import END, START, DaySampler, assign_ids, at_time, pick, pick_pairs
from .journeys import simulate_intake
from .marketing import build_other_leads
from .names import PET_NAMES
from .world import World

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


def new_animal(world: World, species: str, intake_day: date, region: str) -> dict:
    rng = world.rng
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
    world.animals.append(animal)
    return animal


def plan_intakes(world: World) -> list:
    rng = world.rng
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


def choose_intake(world: World, day: date, species: str) -> dict:
    rng = world.rng
    region = pick(rng, REGION_WEIGHTS[day.year])
    if not world.open_facilities(region, ("rainbow_road_shelter", "adoption_centre"), day):
        region = "SE"
    intake_type = pick(rng, INTAKE_TYPE_WEIGHTS[region])
    rural = world.open_facilities(region, ("rural_partner_shelter",), day)
    if intake_type == "rural_transfer" and not rural:
        intake_type = "partner_transfer"
    source = None
    if intake_type == "rural_transfer":
        facility = rng.choice(rural)
        source = facility["partner"]
    elif intake_type == "partner_transfer":
        options = world.open_facilities(
            region, ("rainbow_road_shelter",), day
        ) or world.open_facilities(region, ("adoption_centre",), day)
        facility = rng.choice(options)
        sources = [
            p
            for p in world.partners
            if p["type"] in ("rural_shelter", "community_group")
            and p["region"] == region
            and p["agreement_start"] <= day
        ]
        source = rng.choice(sources or [p for p in world.partners if p["key"] == "blueridge"])
    else:
        shelters = world.open_facilities(region, ("rainbow_road_shelter",), day)
        centres = world.open_facilities(region, ("adoption_centre",), day)
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


def build_animals(world: World) -> None:
    planned = plan_intakes(world)
    queue = []
    for day, species in planned:
        intake = choose_intake(world, day, species)
        animal = new_animal(world, species, day, intake["facility"]["region"])
        simulate_intake(world, intake, animal, queue)
    while queue:  # animals brought back by their adopters start a new journey
        intake, animal = queue.pop(0)
        simulate_intake(world, intake, animal, queue)
    build_other_leads(world)
    assign_ids(world.animals, "ANI", 6, lambda a: (a["created_at"], a["name"], a["breed"]))
    assign_ids(world.intakes, "INT", 6, lambda i: (i["date"], i["animal"]["id"]))
    assign_ids(world.transports, "TRN", 6, lambda t: (t["departed"], t["animal"]["id"]))
    assign_ids(world.stays, "STY", 6, lambda s: (s["start"], s["animal"]["id"], s["intake"]["id"]))
    assign_ids(world.fosters, "FOS", 5, lambda f: (f["start"], f["animal"]["id"]))
    assign_ids(
        world.medical,
        "MED",
        6,
        lambda m: (m["date"], m["animal"]["id"], m["type"], m["procedure"]),
    )
    assign_ids(world.adopters, "ADR", 6, lambda a: (a["created_at"], a["last"], a["first"]))
    assign_ids(world.adoptions, "ADO", 6, lambda a: (a["date"], a["animal"]["id"]))
    assign_ids(world.outcomes, "OUT", 6, lambda o: (o["date"], o["intake"]["id"]))
    assign_ids(world.leads, "LEAD", 6, lambda lead: (lead["created_at"], lead["email"]))
    assign_ids(
        world.applications,
        "APP",
        6,
        lambda a: (a["submitted"], a["animal"]["id"], a["adopter"]["id"]),
    )


def weigh_intakes(world: World) -> None:
    """Weights are taken at intake; puppies and kittens are light, and some forms leave it blank."""
    rng = world.rng
    adult_range = {"dog": (6, 38), "cat": (3, 6.5), "rabbit": (1.2, 3.5), "other": (0.1, 1.5)}
    for i in sorted(world.intakes, key=lambda i: i["id"]):
        animal = i["animal"]
        age_years = (i["date"] - animal["created_at"].date()).days / 365 + animal["age_days"] / 365
        adult = rng.uniform(*adult_range[animal["species"]])
        grown = min(1.0, 0.15 + age_years)
        i["weight"] = max(0.1, round(adult * grown, 1)) if rng.random() > 0.06 else None
