"""Staff: employees across the departments, and the trainings they complete."""

from __future__ import annotations

from datetime import date, timedelta

from .helpers import END, START, DaySampler, assign_ids, days_between, pick
from .world import World


def build_employees(world: World) -> None:
    rng = world.rng
    departments = {
        "rescue_operations": (
            140,
            [
                ("Animal Care Technician", "B1", 30),
                ("Kennel Attendant", "B1", 15),
                ("Transport Driver", "B1", 10),
                ("Veterinary Technician", "B2", 14),
                ("Adoption Counselor", "B2", 14),
                ("Foster Coordinator", "B3", 5),
                ("Shelter Manager", "B4", 6),
                ("Regional Operations Director", "B5", 2),
            ],
        ),
        "people_ops": (
            16,
            [
                ("HR Assistant", "B2", 3),
                ("Volunteer Coordinator", "B2", 5),
                ("HR Business Partner", "B3", 3),
                ("Partnerships Manager", "B4", 2),
                ("Director of HR", "B5", 1),
                ("VP of Partnerships", "B6", 1),
            ],
        ),
        "finance": (
            16,
            [
                ("Accounts Assistant", "B2", 4),
                ("Finance Analyst", "B3", 5),
                ("Grants Manager", "B4", 2),
                ("Director of Finance", "B5", 1),
            ],
        ),
        "marketing": (
            18,
            [
                ("Marketing Coordinator", "B2", 5),
                ("Marketing Analyst", "B3", 4),
                ("Events Manager", "B3", 3),
                ("Lead Marketing Analyst", "B4", 1),
                ("Head of Marketing", "B5", 1),
            ],
        ),
        "data_platform": (
            14,
            [
                ("Data Analyst", "B3", 4),
                ("Analytics Engineer", "B3", 4),
                ("Data Engineer", "B4", 4),
                ("Head of Data", "B5", 1),
            ],
        ),
        "leadership": (
            8,
            [
                ("Executive Director", "B6", 1),
                ("Chief Operating Officer", "B6", 1),
                ("Regional Director", "B5", 4),
            ],
        ),
    }
    hire_sampler = DaySampler(
        date(2013, 1, 1), date(2025, 11, 30), lambda d: 1.0 + 0.35 * max(0, d.year - 2016)
    )
    for department, (headcount, titles) in departments.items():
        for _ in range(headcount):
            title, band, _ = titles[
                rng.choices(range(len(titles)), weights=[t[2] for t in titles], k=1)[0]
            ]
            if rng.random() < 0.15 and band != "B6":  # some people sit a band above the usual one
                band = f"B{int(band[1]) + 1}"
            hired = hire_sampler.sample(rng)
            leave = None
            if rng.random() < 0.33:
                leave = hired + timedelta(days=rng.randint(120, 2600))
                if leave > END:
                    leave = None
                elif leave < START:  # everyone in the export still worked here in 2021 or later
                    leave = START + timedelta(days=rng.randint(10, 400))
            facility = None
            if department == "rescue_operations" and title != "Regional Operations Director":
                kinds = (
                    ("foster_network",)
                    if title == "Foster Coordinator"
                    else ("rural_partner_shelter", "rainbow_road_shelter")
                    if title == "Transport Driver"
                    else ("rainbow_road_shelter", "adoption_centre")
                )
                options = [
                    f
                    for f in world.facilities
                    if f["type"] in kinds and f["opened"] <= max(hired, START)
                ]
                facility = rng.choice(options)
                if facility["opened"] > hired:
                    hired = facility["opened"] + timedelta(days=rng.randint(0, 60))
            elif department == "marketing" and title == "Events Manager":
                facility = rng.choice(
                    [
                        f
                        for f in world.facilities
                        if f["type"] == "adoption_centre" and f["opened"] <= max(hired, START)
                    ]
                )
                hired = max(hired, facility["opened"])
            if leave is not None and leave <= hired:
                leave = hired + timedelta(days=rng.randint(90, 500))
                leave = None if leave > END else leave
            first, last = world.person()
            gender = pick(rng, {"woman": 58, "man": 34, "non_binary": 4, "undisclosed": 4})
            world.employees.append(
                {
                    "first": first,
                    "last": last,
                    "department": department,
                    "title": title,
                    "band": band,
                    "facility": facility,
                    "hired": hired,
                    "left": leave,
                    "gender": gender,
                }
            )
    assign_ids(world.employees, "EMP", 4, lambda e: (e["hired"], e["last"], e["first"]))
    build_trainings(world)


def build_trainings(world: World) -> None:
    rng = world.rng
    optional = {
        "rescue_operations": [
            "Fear Free handling",
            "First aid for pets",
            "Canine behaviour basics",
            "Feline behaviour basics",
        ],
        "people_ops": ["Inclusive hiring", "Volunteer management", "Partnership agreements"],
        "finance": ["Grant reporting", "Spreadsheet modelling", "Nonprofit accounting"],
        "marketing": ["Digital campaign basics", "Event safety", "SQL for analysts"],
        "data_platform": [
            "dbt fundamentals",
            "SQL for analysts",
            "Data modelling",
            "dbt Mesh basics",
        ],
        "leadership": ["Leadership foundations", "Board governance"],
    }
    for e in sorted(world.employees, key=lambda e: e["id"]):
        first, last = max(e["hired"], START), min(e["left"] or END, END)
        if first > last:
            continue
        courses = []
        if e["hired"] >= START:
            courses += [("Code of conduct", True, 1.5), ("Data protection basics", True, 1.0)]
            if e["department"] == "rescue_operations":
                courses.append(("Animal handling safety", True, 3.0))
            for name, mandatory, hours in courses:
                world.trainings.append(
                    {
                        "employee": e,
                        "course": name,
                        "mandatory": mandatory,
                        "date": min(last, e["hired"] + timedelta(days=rng.randint(0, 30))),
                        "hours": hours,
                    }
                )
        for year in range(first.year, last.year + 1):
            day = date(year, rng.randint(1, 12), rng.randint(1, 28))
            if first <= day <= last:
                world.trainings.append(
                    {
                        "employee": e,
                        "course": "Annual conduct refresher",
                        "mandatory": True,
                        "date": day,
                        "hours": 1.0,
                    }
                )
                if e["department"] == "rescue_operations":
                    world.trainings.append(
                        {
                            "employee": e,
                            "course": "Annual safety refresher",
                            "mandatory": True,
                            "date": min(last, day + timedelta(days=rng.randint(0, 20))),
                            "hours": 2.0,
                        }
                    )
        for _ in range(rng.randint(0, 3)):
            day = first + timedelta(days=rng.randint(0, days_between(first, last)))
            world.trainings.append(
                {
                    "employee": e,
                    "course": rng.choice(optional[e["department"]]),
                    "mandatory": False,
                    "date": day,
                    "hours": rng.choice([1.5, 2.0, 3.0, 4.0, 6.0, 7.5, 8.0]),
                }
            )
    assign_ids(world.trainings, "TRG", 5, lambda t: (t["date"], t["employee"]["id"], t["course"]))
