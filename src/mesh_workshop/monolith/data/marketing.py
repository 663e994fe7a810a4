"""Marketing: campaigns and their weekly spend, adoption events, and web leads."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from .helpers import END, START, DaySampler, assign_ids, at_time, cents, month_starts, pick
from .places import REGIONS, STATES
from .world import World


def build_campaigns(world: World) -> None:
    rng = world.rng
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
        world.campaigns.append(
            {
                "code": code,
                "name": name,
                "goal": goal,
                "region": region,
                "start": start,
                "end": end,
            }
        )
    assign_ids(world.campaigns, "CMP", 3, lambda c: (c["start"], c["code"]))

    channels = {
        "adoption": [("social", 1500), ("search", 1200), ("events", 2000), ("email", 300)],
        "fundraising": [("email", 400), ("print", 1800), ("social", 1200), ("radio", 2500)],
        "volunteering": [("social", 900), ("email", 250), ("search", 600)],
    }
    for c in world.campaigns:
        scale = 1.0 + 0.15 * (c["start"].year - 2021) if c["region"] is None else 0.4
        week = c["start"]
        while week <= c["end"]:
            for channel, top in channels[c["goal"]]:
                if rng.random() < 0.7:
                    world.campaign_spend.append(
                        {
                            "campaign": c,
                            "date": min(week + timedelta(days=rng.randint(0, 6)), c["end"]),
                            "channel": channel,
                            "amount": cents(rng, top * 0.15 * scale, top * scale),
                        }
                    )
            week += timedelta(days=7)
    assign_ids(
        world.campaign_spend, "SPD", 5, lambda s: (s["date"], s["campaign"]["id"], s["channel"])
    )


def build_adoption_events(world: World) -> None:
    rng = world.rng
    for f in world.facilities:
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
            campaign = world.active_campaign(day, "adoption", f["region"])
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
            world.events.append(
                {
                    "name": name,
                    "facility": f,
                    "date": day,
                    "campaign": campaign,
                    "attendees": attendees,
                }
            )
    assign_ids(world.events, "EVT", 4, lambda e: (e["date"], e["facility"]["id"]))
    for e in sorted(world.events, key=lambda e: e["id"]):
        world.events_by_facility.setdefault(e["facility"]["id"], []).append(e)


def new_lead(
    world: World, created: datetime, email: str, state: str, interest: str, campaign
) -> dict:
    rng = world.rng
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
    world.leads.append(lead)
    return lead


def build_other_leads(world: World) -> None:
    rng = world.rng
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
        first, last = world.person()
        campaign = world.active_campaign(
            created.date(), goals[interest], world.region_of_state(state)
        )
        new_lead(world, created, world.email(first, last), state, interest, campaign)
