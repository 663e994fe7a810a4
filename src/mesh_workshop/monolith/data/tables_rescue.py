"""The raw tables of the rescue work as rows of text: places, animals, their journeys, adoptions."""

from __future__ import annotations

from .helpers import ref_id
from .noise import Noise
from .world import World


def rescue_tables(w: World, nz: Noise) -> dict:
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
    return t
