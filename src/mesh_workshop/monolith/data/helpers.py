"""The shared draws and calendar arithmetic: the years covered, weighted picks, day samplers, ids."""

from __future__ import annotations

import calendar
import math
import random
from datetime import date, datetime, timedelta

START = date(2021, 1, 1)
END = date(2025, 12, 31)
ONE_DAY = timedelta(days=1)


def days_between(a: date, b: date) -> int:
    return (b - a).days


def clamp(d: date, lo: date, hi: date) -> date:
    return max(lo, min(hi, d))


def add_months(d: date, months: int) -> date:
    year, month = divmod(d.month - 1 + months, 12)
    year += d.year
    month += 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def month_starts(first: date, last: date):
    d = date(first.year, first.month, 1)
    while d <= last:
        yield d
        d = add_months(d, 1)


def pick(rng: random.Random, weights: dict):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys], k=1)[0]


def pick_pairs(rng: random.Random, pairs: list):
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs], k=1)[0]


def poisson(rng: random.Random, lam: float) -> int:
    threshold, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= threshold:
            return k
        k += 1


def cents(rng: random.Random, low: float, high: float) -> int:
    return int(round(rng.uniform(low, high) * 100))


def at_time(rng: random.Random, d: date, first_hour: int = 8, last_hour: int = 18) -> datetime:
    return datetime(
        d.year,
        d.month,
        d.day,
        rng.randint(first_hour, last_hour - 1),
        rng.randint(0, 59),
        rng.randint(0, 59),
    )


def road_miles(a: tuple, b: tuple) -> int:
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return max(8, int(round(3959 * 2 * math.asin(math.sqrt(h)) * 1.2)))


class DaySampler:
    """Draws days between two dates with a weight per day."""

    def __init__(self, first: date, last: date, weight):
        self.days, self.cum, total, d = [], [], 0.0, first
        while d <= last:
            total += weight(d)
            self.days.append(d)
            self.cum.append(total)
            d += ONE_DAY

    def sample(self, rng: random.Random) -> date:
        return rng.choices(self.days, cum_weights=self.cum, k=1)[0]


def assign_ids(records: list, prefix: str, width: int, sort_key) -> None:
    """Give records ids in chronological order: PREFIX-000001, PREFIX-000002, ..."""
    for n, rec in enumerate(sorted(records, key=sort_key), start=1):
        rec["id"] = f"{prefix}-{n:0{width}d}"


def ref_id(record):
    return None if record is None else record["id"]
