"""The messy entries: how values look after staff typed them into forms and spreadsheets."""

from __future__ import annotations

import random

from .places import STATE_BY_CODE

MISSING_TOKENS = ["", "", "", "N/A", "n/a", "NULL"]
TRUE_TOKENS = ["Y", "yes", "TRUE", "1", "Yes", "true", "y"]
FALSE_TOKENS = ["N", "no", "FALSE", "0", "No", "false", "n"]


class Noise:
    def __init__(self, rng: random.Random):
        self.r = rng

    def chance(self, p: float) -> bool:
        return self.r.random() < p

    def missing(self) -> str:
        return self.r.choice(MISSING_TOKENS)

    def ident(self, value, p: float = 0.03) -> str:
        if value is None:
            return self.missing()
        if not self.chance(p):
            return value
        return self.r.choice(
            [value.lower(), value + " ", " " + value, value.lower() + " ", value + "  "]
        )

    def category(self, value, p: float = 0.12) -> str:
        if value is None:
            return self.missing()
        if not self.chance(p):
            return value
        words = value.split("_")
        return self.r.choice(
            [
                " ".join(w.capitalize() for w in words),
                " ".join(w.capitalize() for w in words) + " ",
                value.upper(),
                " " + value,
                value + " ",
                "-".join(words),
                words[0].capitalize() + ("_" + "_".join(words[1:]) if len(words) > 1 else ""),
            ]
        )

    def text(self, value, p: float = 0.02) -> str:
        if value is None:
            return self.missing()
        if not self.chance(p):
            return value
        return self.r.choice([value + " ", " " + value, value + "  "])

    def date(self, d, p_us: float = 0.08, p_slash: float = 0.04) -> str:
        if d is None:
            return self.missing()
        x = self.r.random()
        if x < p_us:
            return d.strftime("%m/%d/%Y")
        if x < p_us + p_slash:
            return d.strftime("%Y/%m/%d")
        return d.isoformat()

    def timestamp(self, dt, p: float = 0.1) -> str:
        if dt is None:
            return self.missing()
        if not self.chance(p):
            return dt.strftime("%Y-%m-%d %H:%M:%S")
        fmt = self.r.choice(["%Y-%m-%dT%H:%M:%S", "%m/%d/%Y %H:%M", "%Y/%m/%d %H:%M:%S"])
        return dt.strftime(fmt)

    def money(self, amount_cents, p: float = 0.3) -> str:
        if amount_cents is None:
            return self.missing()
        dollars, rest = divmod(amount_cents, 100)
        plain = f"{dollars}.{rest:02d}"
        if not self.chance(p):
            return plain
        grouped = f"{dollars:,}.{rest:02d}"
        variants = ["$" + grouped, "$" + plain, grouped, " $" + grouped]
        if rest == 0:
            variants += [str(dollars), "$" + f"{dollars:,}"]
        return self.r.choice(variants)

    def boolean(self, value: bool, primary=("Y", "N"), p: float = 0.25) -> str:
        if not self.chance(p):
            return primary[0] if value else primary[1]
        return self.r.choice(TRUE_TOKENS if value else FALSE_TOKENS)

    def state(self, code, p: float = 0.1) -> str:
        if code is None:
            return self.missing()
        if not self.chance(p):
            return code
        name = STATE_BY_CODE[code][1]
        return self.r.choice(
            [name.lower(), name, code.lower(), " " + code, name.upper(), name + " "]
        )

    def measure(self, value, unit: str, p: float = 0.25) -> str:
        if value is None:
            return self.missing()
        plain = f"{value:.1f}"
        if not self.chance(p):
            return plain
        return self.r.choice(
            [plain.replace(".", ","), f"{plain} {unit}", f"{plain}{unit}", plain + " "]
        )

    def hours(self, value: float, p: float = 0.25) -> str:
        plain = f"{value:g}"
        if not self.chance(p):
            return plain
        return self.r.choice(
            [f"{plain}h", f"{plain} hrs", plain.replace(".", ","), f"{value:.2f}", f"{plain} hours"]
        )

    def integer(self, value, unit=None, p: float = 0.05) -> str:
        if value is None:
            return self.missing()
        if unit is None or not self.chance(p):
            return str(value)
        return self.r.choice([f"{value} {unit}", f"{value}{unit}", f" {value}"])
