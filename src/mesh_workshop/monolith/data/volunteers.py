"""Volunteers and foster carers, and the shifts they work."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from .helpers import (
    END,
    START,
    DaySampler,
    assign_ids,
    days_between,
    month_starts,
    pick,
    pick_pairs,
    poisson,
)
from .world import World


def new_volunteer(
    world: World, home: dict, joined: date, is_foster: bool, active_until: date
) -> dict:
    first, last = world.person()
    vol = {
        "first": first,
        "last": last,
        "email": world.email(first, last),
        "home": home,
        "joined": joined,
        "is_foster": is_foster,
        "active_until": active_until,
        "status": "active" if active_until >= END else "inactive",
        "engagement": world.rng.choice([0.2, 0.35, 0.5, 0.7, 1.0, 1.5]),
    }
    world.volunteers.append(vol)
    return vol


def build_volunteers(world: World) -> None:
    rng = world.rng
    networks = [f for f in world.facilities if f["type"] == "foster_network"]
    sites = [
        f
        for f in world.facilities
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
            new_volunteer(
                world,
                net,
                joined,
                True,
                END if rng.random() < 0.8 else date(2024, rng.randint(1, 12), 1),
            )
    network_weights = {"SE": 34, "SW": 22, "NE": 16, "MW": 14, "WE": 14}
    for _ in range(180):  # foster carers who join over the years
        region = pick(rng, network_weights)
        net = next(n for n in networks if n["region"] == region)
        joined = max(joined_sampler.sample(rng), net["opened"] + timedelta(days=rng.randint(0, 60)))
        new_volunteer(world, net, joined, True, lifetime(joined))
    for _ in range(470):  # volunteers at shelters and adoption centres
        joined = joined_sampler.sample(rng)
        options = [s for s in sites if s["opened"] <= joined] or [world.facilities[0]]
        weights = [0.3 if s["type"] == "rural_partner_shelter" else 1.0 for s in options]
        home = rng.choices(options, weights=weights, k=1)[0]
        new_volunteer(world, home, joined, rng.random() < 0.05, lifetime(joined))
    assign_ids(
        world.volunteers, "VOL", 5, lambda v: (v["joined"], v["last"], v["first"], v["email"])
    )
    world.carers_by_network = {}
    for v in sorted(world.volunteers, key=lambda v: v["id"]):
        if v["is_foster"] and v["home"]["type"] == "foster_network":
            world.carers_by_network.setdefault(v["home"]["id"], []).append(v)


def build_shifts(world: World) -> None:
    rng = world.rng
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
    for v in sorted(world.volunteers, key=lambda v: v["id"]):
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
                    options = world.open_facilities(
                        site["region"], ("rainbow_road_shelter", "adoption_centre"), lo
                    )
                    site = rng.choice(options) if options else site
                day = lo + timedelta(days=rng.randint(0, days_between(lo, hi)))
                world.shifts.append(
                    {
                        "volunteer": v,
                        "facility": site,
                        "date": day,
                        "hours": rng.choice([1.5, 2, 2, 3, 3, 3, 4, 4, 5, 6, 8]),
                        "activity": pick_pairs(rng, activities[site["type"]]),
                    }
                )
    for e in world.events:  # adoption events are staffed by volunteers from the region
        helpers = [
            v
            for v in world.volunteers
            if v["home"]["region"] == e["facility"]["region"]
            and v["joined"] <= e["date"] <= v["active_until"]
        ]
        for v in rng.sample(helpers, min(len(helpers), rng.randint(3, 8))):
            world.shifts.append(
                {
                    "volunteer": v,
                    "facility": e["facility"],
                    "date": e["date"],
                    "hours": rng.choice([3, 4, 4, 5, 6]),
                    "activity": "adoption_event",
                }
            )
    assign_ids(
        world.shifts,
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
