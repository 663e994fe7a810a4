"""Finance: grants with their targets, and the monthly expenses that some grants pay for."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from .helpers import (
    END,
    ONE_DAY,
    START,
    DaySampler,
    add_months,
    assign_ids,
    cents,
    month_starts,
    pick,
)
from .world import World


def build_grants(world: World) -> None:
    rng = world.rng
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
        for o in world.outcomes
        if o["type"] in ("adoption", "return_to_owner", "transfer_to_partner")
    ]
    while len(world.grants) < 34:
        awarded = sampler.sample(rng)
        start = awarded + timedelta(days=rng.randint(14, 45))
        region = pick(rng, regions)
        if not world.open_facilities(region, ("rainbow_road_shelter", "adoption_centre"), start):
            continue
        purpose = pick(rng, purposes)
        if purpose == "rural_transport" and not world.open_facilities(
            region, ("rural_partner_shelter",), start
        ):
            purpose = "general_operations"
        months = 24 if rng.random() < 0.3 and add_months(start, 24) - ONE_DAY <= END else 12
        amount = rng.randint(4, 60) * 500000 * (1.5 if region in ("SE", "SW") else 1)
        amount = int(amount)
        end = add_months(start, months) - ONE_DAY
        # targets are set from what the region can plausibly release alive, so some are met and some missed
        expected = sum(1 for day, r in live if r == region and start <= day <= end)
        world.grants.append(
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
    assign_ids(world.grants, "GRT", 3, lambda g: (g["awarded"], g["funder"]))


def build_expenses(world: World) -> None:
    rng = world.rng
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
    sites = [None] + world.facilities
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
                            for g in world.grants
                            if g["region"] == site["region"]
                            and g["purpose"] in wanted
                            and g["start"] <= day <= g["end"]
                            and g["remaining"] >= amount
                        ]
                        if options and rng.random() < 0.45:
                            grant = rng.choice(options)
                            grant["remaining"] -= amount
                    world.expenses.append(
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
        world.expenses,
        "EXP",
        6,
        lambda e: (
            e["date"],
            e["facility"]["id"] if e["facility"] else "",
            e["category"],
            e["amount"],
        ),
    )
