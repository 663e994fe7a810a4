"""Adoption paperwork: adopters, applications with their web leads, and adoptions."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from .helpers import END, START, at_time, days_between
from .marketing import new_lead
from .places import STATE_BY_CODE, STATES_BY_REGION
from .world import World


def new_adopter(world: World, region: str, facility_state: str, first_seen: datetime) -> dict:
    rng = world.rng
    states = STATES_BY_REGION[region]
    state = facility_state if rng.random() < 0.6 else rng.choice(states)
    first, last = world.person()
    adopter = {
        "first": first,
        "last": last,
        "email": world.email(first, last),
        "phone": world.phone(state),
        "city": rng.choice(list(STATE_BY_CODE[state][4])),
        "state": state,
        "region": region,
        "created_at": first_seen - timedelta(hours=rng.randint(0, 60), minutes=rng.randint(0, 59)),
    }
    world.adopters.append(adopter)
    return adopter


def add_lead(world: World, adopter: dict, submitted: date) -> dict | None:
    rng = world.rng
    created = at_time(rng, submitted - timedelta(days=rng.randint(0, 14)), 6, 23)
    if created.date() < START:
        return None
    campaign = world.active_campaign(created.date(), "adoption", adopter["region"])
    lead = new_lead(world, created, adopter["email"], adopter["state"], "adopt", campaign)
    adopter["created_at"] = min(
        adopter["created_at"], created - timedelta(minutes=rng.randint(5, 600))
    )
    return lead


def add_application(
    world: World, adopter, animal, facility, submitted: date, status: str, decided
) -> dict:
    rng = world.rng
    lead_p = 0.35 + 0.07 * (submitted.year - 2021)
    lead = add_lead(world, adopter, submitted) if rng.random() < lead_p else None
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
    world.applications.append(app)
    return app


def add_adoption(world: World, intake, animal, legs) -> dict:
    rng = world.rng
    last = legs[-1]
    facility, day = last["facility"], last["end"]
    region = facility["region"]
    earlier = [
        a
        for a in world.adopters[-400:]
        if a["region"] == region and a.get("adopted") and a["created_at"].date() < day
    ]
    if earlier and rng.random() < 0.1:
        adopter = rng.choice(earlier)
    else:
        adopter = new_adopter(world, region, facility["state"], at_time(rng, day))
    adopter["adopted"] = True
    application = None
    if rng.random() < 0.85:
        submitted = max(intake["date"], day - timedelta(days=rng.randint(1, 10)))
        decided = submitted + timedelta(days=rng.randint(0, min(4, days_between(submitted, day))))
        application = add_application(
            world, adopter, animal, facility, submitted, "approved", decided
        )
        if rng.random() < 0.25:
            other_day = intake["date"] + timedelta(
                days=rng.randint(0, days_between(intake["date"], day))
            )
            other = new_adopter(world, region, facility["state"], at_time(rng, other_day))
            status = "rejected" if rng.random() < 0.5 else "withdrawn"
            other_decided = other_day + timedelta(days=rng.randint(0, days_between(other_day, day)))
            add_application(world, other, animal, facility, other_day, status, other_decided)
    event = next(
        (e for e in world.events_by_facility.get(facility["id"], []) if e["date"] == day), None
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
    world.adoptions.append(adoption)
    return adoption


def add_pending_applications(world: World, intake, animal, legs) -> None:
    rng = world.rng
    last = legs[-1]
    if last["kind"] != "stay" or rng.random() > 0.35:
        return
    submitted = max(last["start"], END - timedelta(days=rng.randint(0, 20)))
    adopter = new_adopter(
        world, last["facility"]["region"], last["facility"]["state"], at_time(rng, submitted)
    )
    add_application(world, adopter, animal, last["facility"], submitted, "pending", None)
