"""The raw tables of the back office as rows of text: volunteers, staff, money, marketing."""

from __future__ import annotations

from .helpers import ref_id
from .noise import Noise
from .world import World


def office_tables(w: World, nz: Noise) -> dict:
    t = {}
    t["volunteers"] = (
        [
            "volunteer_id",
            "first_name",
            "last_name",
            "email",
            "home_facility_id",
            "joined_date",
            "status",
            "foster_carer",
        ],
        [
            [
                nz.ident(v["id"]),
                nz.text(v["first"]),
                nz.text(v["last"]),
                nz.text(v["email"], 0.05),
                nz.ident(v["home"]["id"]),
                nz.date(v["joined"], 0.2, 0.05),
                nz.category(v["status"], 0.3),
                nz.boolean(v["is_foster"], p=0.4),
            ]
            for v in sorted(w.volunteers, key=lambda v: v["id"])
        ],
    )
    t["volunteer_shifts"] = (
        ["shift_id", "volunteer_id", "facility_id", "shift_date", "hours", "activity"],
        [
            [
                nz.ident(s["id"]),
                nz.ident(s["volunteer"]["id"]),
                nz.ident(s["facility"]["id"]),
                nz.date(s["date"], 0.2, 0.05),
                nz.hours(s["hours"]),
                nz.category(s["activity"]),
            ]
            for s in sorted(w.shifts, key=lambda s: s["id"])
        ],
    )
    gender_words = {
        "woman": ["Woman", "woman", "F", "Female", "female", "W"],
        "man": ["Man", "man", "M", "Male", "male"],
        "non_binary": ["Non-binary", "non binary", "Nonbinary", "non_binary"],
        "undisclosed": ["Prefer not to say", "undisclosed", "", "N/A"],
    }
    t["employees"] = (
        [
            "employee_id",
            "first_name",
            "last_name",
            "department",
            "job_title",
            "pay_band",
            "facility_id",
            "hire_date",
            "leave_date",
            "gender",
        ],
        [
            [
                nz.ident(e["id"]),
                nz.text(e["first"]),
                nz.text(e["last"]),
                nz.category(e["department"], 0.3),
                nz.text(e["title"]),
                nz.r.choice([e["band"].lower(), " " + e["band"], f"Band {e['band'][1]}"])
                if nz.chance(0.2)
                else e["band"],
                nz.ident(ref_id(e["facility"])),
                nz.date(e["hired"], 0.2, 0.05),
                nz.date(e["left"], 0.2, 0.05),
                nz.r.choice(gender_words[e["gender"]]),
            ]
            for e in sorted(w.employees, key=lambda e: e["id"])
        ],
    )
    t["employee_trainings"] = (
        ["training_id", "employee_id", "course_name", "mandatory", "completed_date", "hours"],
        [
            [
                nz.ident(x["id"]),
                nz.ident(x["employee"]["id"]),
                nz.text(x["course"]),
                nz.boolean(x["mandatory"], ("TRUE", "FALSE")),
                nz.date(x["date"], 0.2, 0.05),
                nz.hours(x["hours"]),
            ]
            for x in sorted(w.trainings, key=lambda x: x["id"])
        ],
    )
    t["donors"] = (
        ["donor_id", "donor_type", "donor_name", "email", "state", "created_date"],
        [
            [
                nz.ident(d["id"]),
                nz.category(d["type"], 0.2),
                nz.text(d["name"]),
                nz.text(d["email"], 0.05),
                nz.state(d["state"], 0.2),
                nz.date(d["created"]),
            ]
            for d in sorted(w.donors, key=lambda d: d["id"])
        ],
    )
    method_words = {
        "card": ["Card", "Credit Card", "credit card", "CARD"],
        "check": ["Check", "cheque", "CHECK"],
        "bank_transfer": ["Bank Transfer", "bank transfer", "wire"],
        "paypal": ["PayPal", "Paypal", "PAYPAL"],
    }
    t["donations"] = (
        [
            "donation_id",
            "donor_id",
            "donated_at",
            "amount",
            "payment_method",
            "campaign_code",
            "recurring",
            "designated_region",
        ],
        [
            [
                nz.ident(d["id"]),
                nz.ident(d["donor"]["id"]),
                nz.timestamp(d["at"]),
                nz.money(d["amount"], 0.45),
                nz.r.choice(method_words[d["method"]]) if nz.chance(0.3) else d["method"],
                (
                    d["campaign"]["code"].lower()
                    if nz.chance(0.2)
                    else nz.text(d["campaign"]["code"], 0.05)
                )
                if d["campaign"]
                else nz.missing(),
                nz.boolean(d["recurring"], ("yes", "no"), 0.3),
                nz.ident(d["region"], 0.2),
            ]
            for d in sorted(w.donations, key=lambda d: d["id"])
        ],
    )
    t["grants"] = (
        [
            "grant_id",
            "funder_name",
            "awarded_date",
            "amount",
            "start_date",
            "end_date",
            "reporting_region",
            "purpose",
            "target_live_releases",
        ],
        [
            [
                nz.ident(g["id"], 0.1),
                nz.text(g["funder"]),
                nz.date(g["awarded"], 0.3),
                nz.money(g["amount"], 0.6),
                nz.date(g["start"], 0.3),
                nz.date(g["end"], 0.3),
                nz.ident(g["region"], 0.2),
                nz.category(g["purpose"], 0.3),
                str(g["target"]),
            ]
            for g in sorted(w.grants, key=lambda g: g["id"])
        ],
    )
    t["expenses"] = (
        ["expense_id", "expense_date", "facility_id", "category", "amount", "vendor", "grant_id"],
        [
            [
                nz.ident(e["id"]),
                nz.date(e["date"], 0.15, 0.05),
                nz.ident(ref_id(e["facility"])),
                nz.category(e["category"]),
                nz.money(e["amount"], 0.4),
                nz.text(e["vendor"]),
                nz.ident(ref_id(e["grant"]), 0.1),
            ]
            for e in sorted(w.expenses, key=lambda e: e["id"])
        ],
    )
    t["campaigns"] = (
        [
            "campaign_id",
            "campaign_code",
            "campaign_name",
            "goal",
            "region_id",
            "start_date",
            "end_date",
        ],
        [
            [
                nz.ident(c["id"]),
                c["code"].lower() if nz.chance(0.1) else nz.text(c["code"], 0.1),
                c["name"],
                nz.category(c["goal"], 0.2),
                nz.ident(c["region"], 0.2),
                nz.date(c["start"]),
                nz.date(c["end"]),
            ]
            for c in sorted(w.campaigns, key=lambda c: c["id"])
        ],
    )
    t["campaign_spend"] = (
        ["spend_id", "campaign_id", "spend_date", "channel", "amount"],
        [
            [
                nz.ident(s["id"]),
                nz.ident(s["campaign"]["id"]),
                nz.date(s["date"]),
                nz.category(s["channel"]),
                nz.money(s["amount"]),
            ]
            for s in sorted(w.campaign_spend, key=lambda s: s["id"])
        ],
    )
    t["adoption_events"] = (
        [
            "event_id",
            "event_name",
            "facility_id",
            "event_date",
            "campaign_id",
            "estimated_attendees",
        ],
        [
            [
                nz.ident(e["id"]),
                nz.text(e["name"]),
                nz.ident(e["facility"]["id"]),
                nz.date(e["date"]),
                nz.ident(ref_id(e["campaign"])),
                nz.integer(e["attendees"], "people", 0.05),
            ]
            for e in sorted(w.events, key=lambda e: e["id"])
        ],
    )
    t["web_leads"] = (
        ["lead_id", "created_at", "email", "campaign_code", "channel", "interest", "state"],
        [
            [
                nz.ident(x["id"]),
                nz.timestamp(x["created_at"]),
                nz.text(x["email"], 0.05),
                (x["campaign"]["code"].lower() if nz.chance(0.3) else x["campaign"]["code"])
                if x["campaign"]
                else nz.missing(),
                nz.category(x["channel"]),
                nz.category(x["interest"]),
                nz.state(x["state"], 0.15),
            ]
            for x in sorted(w.leads, key=lambda x: x["id"])
        ],
    )
    t["adoption_applications"] = (
        [
            "application_id",
            "lead_id",
            "adopter_id",
            "animal_id",
            "facility_id",
            "submitted_date",
            "status",
            "decided_date",
        ],
        [
            [
                nz.ident(a["id"]),
                nz.ident(ref_id(a["lead"])),
                nz.ident(a["adopter"]["id"]),
                nz.ident(a["animal"]["id"]),
                nz.ident(a["facility"]["id"]),
                nz.date(a["submitted"]),
                nz.category(a["status"]),
                nz.date(a["decided"]),
            ]
            for a in sorted(w.applications, key=lambda a: a["id"])
        ],
    )
    return t
