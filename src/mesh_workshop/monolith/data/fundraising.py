"""Fundraising: donors and their one-off and recurring donations."""

from __future__ import annotations

import math
from datetime import date, timedelta

from .helpers import END, START, DaySampler, add_months, assign_ids, at_time, pick, poisson
from .places import STATES
from .world import World


def build_donors(world: World) -> None:
    rng = world.rng

    def giving_weight(d: date) -> float:
        w = [0.7, 0.7, 0.9, 0.8, 0.8, 0.8, 0.8, 0.8, 0.9, 1.0, 1.3, 3.2][d.month - 1]
        thanksgiving = date(d.year, 11, 22 + (3 - date(d.year, 11, 1).weekday()) % 7)
        if d == thanksgiving + timedelta(days=5):  # the Tuesday after Thanksgiving
            w *= 8
        if d.month == 12 and d.day >= 29:
            w *= 3
        return w * (1 + 0.15 * (d.year - 2021))

    gift_sampler = DaySampler(START, END, giving_weight)
    flat_sampler = DaySampler(START, END - timedelta(days=60), lambda d: 1 + 0.15 * (d.year - 2021))
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
            first, last = world.person()
            name, email = (
                f"{first} {last}",
                world.email(first, last) if rng.random() < 0.9 else None,
            )
        elif donor_type == "foundation":
            name = f"The {rng.choice(foundation_words)} {rng.choice(['Family Foundation', 'Foundation', 'Charitable Trust'])}"
            email = (
                f"grants@{name.split()[1].lower()}{n}.example.org" if rng.random() < 0.6 else None
            )
        else:
            name = f"{rng.choice(company_words)} {rng.choice(company_kinds)}"
            email = (
                f"giving@{name.split()[0].lower()}{n}.example.com" if rng.random() < 0.7 else None
            )
        old = rng.random() < 0.3
        donor = {
            "type": donor_type,
            "name": name,
            "email": email,
            "state": state,
            "region": world.region_of_state(state),
        }
        recurring = donor_type == "individual" and rng.random() < 0.1
        first_gift = flat_sampler.sample(rng) if recurring else gift_sampler.sample(rng)
        donor["created"] = old_sampler.sample(rng) if old else first_gift
        world.donors.append(donor)
        if recurring:
            amount = rng.choice([10, 15, 20, 25, 25, 50]) * 100
            method = pick(rng, {"card": 75, "paypal": 20, "bank_transfer": 5})
            for k in range(rng.randint(6, 36)):
                day = add_months(first_gift, k)
                if day > END:
                    break
                add_donation(world, donor, day, amount, method, True)
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
            add_donation(world, donor, day, max(500, amount), method, False)
    assign_ids(world.donors, "DNR", 5, lambda d: (d["created"], d["name"]))
    assign_ids(world.donations, "DON", 6, lambda d: (d["at"], d["donor"]["id"]))


def add_donation(world: World, donor, day: date, amount: int, method: str, recurring: bool) -> None:
    rng = world.rng
    campaign = None
    if not recurring:
        campaign = world.active_campaign(day, "fundraising", donor["region"])
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
    world.donations.append(
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
