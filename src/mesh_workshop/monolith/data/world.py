"""The world being simulated: every record list, the shared lookups, and the reference data."""

from __future__ import annotations

import random
from datetime import date

from .names import FIRST_NAMES, LAST_NAMES
from .places import FACILITIES, PARTNERS, REGIONS, STATE_BY_CODE, STATES


class World:
    """Every record of the simulation, in lists filled step by step from one random stream."""

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
        self.carers_by_network = {}

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


def build_reference(world: World) -> None:
    facility_opened = {f[6]: f[4] for f in FACILITIES if f[6]}
    for n, (key, name, ptype, state, start) in enumerate(PARTNERS, start=1):
        slug = "".join(ch for ch in name.lower() if ch.isalnum())[:18]
        partner = {
            "id": f"PRT-{n:03d}",
            "key": key,
            "name": name,
            "type": ptype,
            "state": state,
            "region": world.region_of_state(state),
            "agreement_start": start or facility_opened[key],
            "email": f"{world.rng.choice(['info', 'intake', 'partners', 'hello'])}@{slug}.example.org",
        }
        world.partners.append(partner)
        world.partner_by_key[key] = partner
    for n, (name, ftype, city, state, opened, capacity, partner_key) in enumerate(
        FACILITIES, start=1
    ):
        world.facilities.append(
            {
                "id": f"FAC-{n:03d}",
                "name": name,
                "type": ftype,
                "city": city,
                "state": state,
                "region": world.region_of_state(state),
                "opened": opened,
                # The table lists whole buildings; Rainbow Road's animals have about a
                # sixth of the places (partners and day-to-day turnover use the rest).
                "capacity": max(4, round(capacity / 6)) if capacity else None,
                "partner": world.partner_by_key[partner_key] if partner_key else None,
            }
        )
