"""An animal's journey from intake to outcome: stays, foster placements, transports."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from .adoptions import add_adoption, add_pending_applications
from .helpers import END, days_between, pick, road_miles
from .medical import add_medical_events
from .world import World

TRANSPORT_DESTINATIONS = {  # where animals from rural partner shelters in a region go
    "SE": {"SE": 60, "NE": 30, "MW": 10},
    "SW": {"SW": 55, "WE": 25, "MW": 20},
    "MW": {"MW": 100},
    "WE": {"WE": 100},
    "NE": {"NE": 100},
}


def choose_outcome(world: World, intake: dict) -> str:
    rng = world.rng
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


def transport(world: World, animal, origin, destination, day: date, long_haul: bool) -> dict:
    rng = world.rng
    miles = road_miles(world.coords(origin), world.coords(destination))
    if origin["city"] == destination["city"]:
        miles = rng.randint(6, 25)
    departed = datetime(
        day.year, day.month, day.day, rng.randint(5, 9), rng.choice([0, 15, 30, 45])
    )
    hours = miles / 48 + 0.4 * (miles // 250) + rng.uniform(0.1, 0.6)
    companies = [
        p
        for p in world.partners
        if p["type"] == "transport_company" and p["agreement_start"] <= day
    ]
    partner = (
        rng.choice(companies) if companies and rng.random() < (0.4 if long_haul else 0.08) else None
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


def plan_route(world: World, intake: dict, animal: dict) -> list:
    """The stays, foster placements and transports of one intake, before any outcome cut."""
    rng = world.rng
    legs = []  # kind, facility, start, end, arrived_by (transport), carer
    day, here = intake["date"], intake["facility"]
    arrived_by = None
    if here["type"] == "rural_partner_shelter":
        leave = day + timedelta(days=rng.randint(1, 10))
        legs.append(
            {"kind": "stay", "facility": here, "start": day, "end": leave, "arrived_by": None}
        )
        dest_region = pick(rng, TRANSPORT_DESTINATIONS[here["region"]])
        options = world.open_facilities(
            dest_region, ("rainbow_road_shelter", "adoption_centre"), leave
        ) or world.open_facilities(
            here["region"], ("rainbow_road_shelter", "adoption_centre"), leave
        )
        dest = rng.choice(options)
        arrived_by = transport(world, animal, here, dest, leave, True)
        here, day = dest, arrived_by["arrived"].date()
    young = animal["age_days"] < 200
    foster_p = (
        0.5
        if (animal["species"] == "cat" and young)
        else 0.35
        if intake["condition"] == "unhealthy"
        else 0.12
    )
    networks = world.open_facilities(here["region"], ("foster_network",), day)
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
            for v in world.carers_by_network.get(net["id"], [])
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
            centres = world.open_facilities(here["region"], ("adoption_centre",), back)
            if here["type"] == "rainbow_road_shelter" and centres and rng.random() < 0.5:
                here = rng.choice(centres)
            day, arrived_by = back, None
    if here["type"] == "rainbow_road_shelter" and rng.random() < 0.4:
        centres = world.open_facilities(here["region"], ("adoption_centre",), day)
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
            arrived_by = transport(world, animal, here, dest, leave, False)
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


def cut_route(legs: list, cut: date) -> list:
    kept = [dict(leg) for leg in legs if leg["start"] <= cut]
    kept[-1]["end"] = cut
    return kept


def simulate_intake(world: World, intake: dict, animal: dict, queue: list) -> None:
    rng = world.rng
    intake["animal"] = animal
    world.intakes.append(intake)
    outcome_type = choose_outcome(world, intake)
    legs = plan_route(world, intake, animal)
    if outcome_type == "return_to_owner":
        first = legs[0]
        legs = [
            dict(first, end=min(first["end"], intake["date"] + timedelta(days=rng.randint(0, 8))))
        ]
    elif outcome_type in ("euthanasia", "died_in_care", "lost_in_care"):
        span = days_between(intake["date"], legs[-1]["end"])
        legs = cut_route(legs, intake["date"] + timedelta(days=rng.randint(0, span)))
    elif outcome_type == "transfer_to_partner":
        last = legs[-1]
        last["end"] = last["start"] + timedelta(
            days=max(1, days_between(last["start"], last["end"]) // 2)
        )
    elif outcome_type == "adoption":
        last = legs[-1]
        for event in world.events_by_facility.get(last["facility"]["id"], []):
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
            world.transports.append(leg["arrived_by"])
        if leg["kind"] == "stay":
            prefix = {"dog": "D", "cat": "C", "rabbit": "R", "other": "S"}[animal["species"]]
            size = max(6, (leg["facility"]["capacity"] or 30) // 3)
            leg["kennel"] = f"{prefix}-{rng.randint(1, size):02d}"
            world.stays.append(leg)
        else:
            world.fosters.append(leg)
    add_medical_events(world, intake, animal, legs, outcome_type, None if in_care else outcome_day)
    intake["legs"] = legs
    if in_care:
        add_pending_applications(world, intake, animal, legs)
        return
    outcome = {
        "type": outcome_type,
        "date": outcome_day,
        "facility": legs[-1]["facility"],
        "intake": intake,
        "animal": animal,
    }
    world.outcomes.append(outcome)
    if outcome_type == "adoption":
        adoption = add_adoption(world, intake, animal, legs)
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
