"""Everyday questions Rainbow Road's analysts ask of the warehouse, answered with SQL on the marts."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from ..errors import UnknownQuestion


@dataclass(frozen=True)
class Question:
    name: str
    title: str
    sql: str
    money: tuple[str, ...] = ()  # columns in US dollars


QUESTIONS: dict[str, Question] = {
    q.name: q
    for q in (
        Question(
            "adoptions_by_region_and_year",
            "How many animals found a home, by region and year?",
            """
            pivot (
                select r.region_name as region, year(a.adoption_date) as adoption_year
                from fct_adoptions as a
                join dim_regions as r using (region_id)
            )
            on adoption_year using count(*)
            group by region
            order by region
            """,
        ),
        Question(
            "average_length_of_stay",
            "How many days does an animal spend in our care before its outcome, by species?",
            """
            select
                an.species,
                count(*) as outcomes,
                round(avg(o.days_in_care), 1) as average_days_in_care,
                round(median(o.days_in_care), 1) as median_days_in_care,
                round(avg(o.days_in_care) filter (where o.is_live_release), 1)
                    as average_days_before_live_release
            from fct_animal_outcomes as o
            join dim_animals as an using (animal_id)
            group by an.species
            order by outcomes desc
            """,
        ),
        Question(
            "donations_by_campaign",
            "Which campaigns raised the most money?",
            """
            select
                coalesce(c.campaign_name, '(no campaign)') as campaign,
                c.goal,
                count(*) as donations,
                cast(sum(d.amount_usd) as decimal(14, 2)) as total_usd
            from fct_donations as d
            left join dim_campaigns as c using (campaign_id)
            group by all
            order by total_usd desc
            limit 15
            """,
            money=("total_usd",),
        ),
    )
}


def get_question(name: str) -> Question:
    """A question by name, with a "did you mean" when the name is close to a known one."""
    try:
        return QUESTIONS[name]
    except KeyError:
        close = difflib.get_close_matches(name, QUESTIONS, n=1)
        hint = f"Did you mean `{close[0]}`? " if close else ""
        raise UnknownQuestion(
            f"There is no question called `{name}`.",
            f"{hint}Known questions: {', '.join(f'`{q}`' for q in QUESTIONS)}.",
        ) from None
