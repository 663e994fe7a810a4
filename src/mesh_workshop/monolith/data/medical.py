"""Medical events during a stay: exams, vaccinations, spay/neuter and treatments."""

from __future__ import annotations

from datetime import date, timedelta

from .helpers import END, ONE_DAY, cents, clamp, days_between
from .world import World

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


def location_on(legs: list, day: date) -> dict:
    here = legs[0]["facility"]
    for leg in legs:
        if leg["start"] <= day and (leg["end"] is None or day <= leg["end"]):
            here = leg["facility"]
    return here


def add_medical_events(world: World, intake, animal, legs, outcome_type, outcome_day) -> None:
    rng = world.rng
    species = animal["species"]
    first = intake["date"]
    last = outcome_day or END
    if outcome_type == "return_to_owner" and rng.random() < 0.5:
        return

    def event(day: date, etype: str, procedure: str, low: float, high: float) -> None:
        day = clamp(day, first, last)
        facility = location_on(legs, day)
        vets = [
            p
            for p in world.partners
            if p["type"] == "veterinary_clinic"
            and p["region"] == facility["region"]
            and p["agreement_start"] <= day
        ]
        vet = rng.choice(vets) if vets and rng.random() < 0.3 else None
        world.medical.append(
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
        leg for leg in legs if leg["arrived_by"] is not None and leg["arrived_by"]["miles"] > 100
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
        name for name, (_, kinds) in TREATMENTS.items() if species in kinds and name != "Deworming"
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
        event(outcome_day - timedelta(days=rng.randint(0, 2)), "exam", "Pre-adoption exam", 40, 75)
