"""The condition of a `check` constraint: read by the kit, and written again by the kit.

dbt-duckdb pastes a check's expression into `create table ... check (<expression>)` as it is, so
a bracket in the text could close the check and let the rest run as more SQL. The kit therefore
never passes a group's text on. It reads the text with the small grammar below, refuses anything
outside it, and writes the condition again from what it read (`canonical_check`): the SQL that
reaches DuckDB is built only from the kit's own keywords, the model's column names, and literals
the kit re-quotes itself.

The grammar (keywords and function names in any letter case; `[x]` is optional, `{x}` repeats,
`|` separates choices):

    check      = condition                              (must be a condition, see below)
    condition  = conjunct {"or" conjunct}
    conjunct   = negation {"and" negation}
    negation   = "not" negation | predicate
    predicate  = sum [ compare sum
                     | "is" ["not"] "null"
                     | ["not"] "in" "(" item {"," item} ")"
                     | ["not"] "between" sum "and" sum
                     | ["not"] "like" string ]
    compare    = "=" | "<>" | "!=" | "<" | "<=" | ">" | ">="
    sum        = product {("+" | "-") product}
    product    = factor {("*" | "/") factor}
    factor     = "-" factor | primary
    primary    = number | string | "true" | "false" | "null" | "date" string
               | function "(" condition {"," condition} ")" | column | "(" condition ")"
    item       = ["-"] number | string | "date" string | "true" | "false" | "null"
    function   = one of FUNCTIONS, with the number of arguments given there
    column     = name | '"' name '"'       name = [a-z_][a-z0-9_]*, a column of the model
    number     = digits ["." [digits]] | "." digits          (at most 38 digits)
    string     = "'" {any character but `;` and control characters; '' stands for '} "'"
    date       = 'YYYY-MM-DD', a real calendar date

The whole check, and each side of `and`, `or` and `not`, must be a condition: a comparison,
`and`/`or`/`not`, `is [not] null`, `in`, `between`, `like`, `true`/`false`, or a boolean column.
Spaces, tabs and line breaks separate words. Outside quoted text only ASCII characters are read,
so look-alike letters and symbols from other alphabets are refused. A check is at most
MAX_LENGTH characters and nests brackets, `not` and minus signs at most MAX_DEPTH deep.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..errors import KitError

MAX_LENGTH = 500
MAX_DEPTH = 30
MAX_DIGITS = 38

# name -> (fewest, most) arguments. Each is a plain function of its arguments' values.
FUNCTIONS: dict[str, tuple[int, int]] = {
    "abs": (1, 1),
    "ceil": (1, 1),
    "coalesce": (2, 10),
    "date_diff": (3, 3),
    "day": (1, 1),
    "floor": (1, 1),
    "greatest": (2, 10),
    "least": (2, 10),
    "length": (1, 1),
    "lower": (1, 1),
    "ltrim": (1, 1),
    "month": (1, 1),
    "nullif": (2, 2),
    "round": (1, 2),
    "rtrim": (1, 1),
    "trim": (1, 1),
    "upper": (1, 1),
    "year": (1, 1),
}
# Words with a meaning in this grammar: never read as a column unless written in double quotes.
KEYWORDS = frozenset(
    {"and", "or", "not", "is", "null", "true", "false", "in", "between", "like", "date"}
)
# Words that start or belong to other SQL statements and queries; named in the refusal.
COMMANDS = frozenset(
    """select from where with union except intersect values table into returning copy attach
    detach install load force pragma set reset call create drop alter insert update delete
    truncate export import checkpoint vacuum begin commit rollback transaction execute prepare
    deallocate use grant revoke describe show summarize explain case when then else end cast
    exists as order group having limit offset join""".split()
)
COMPARISONS = {"=": "=", "<>": "<>", "!=": "<>", "<": "<", "<=": "<=", ">": ">", ">=": ">="}
BOOLEAN_TYPES = frozenset({"boolean", "bool", "logical"})
PLAIN_NAME = re.compile(r"[a-z_][a-z0-9_]*")
JINJA = re.compile(r"\{\{|\{%|\{#|%\}|#\}|\}\}")
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class CheckExpressionError(KitError):
    """A check's condition uses something a check may not contain. `message` says what,
    `hint` says what to write instead."""


# ------------------------------------------------------------------- the parsed condition


@dataclass(frozen=True)
class Column:
    name: str


@dataclass(frozen=True)
class Literal:
    sql: str  # the kit's own rendering: digits, a re-quoted string, a date, true/false/null
    kind: str  # number | string | date | boolean | null


@dataclass(frozen=True)
class Negative:
    operand: Node


@dataclass(frozen=True)
class Binary:
    op: str  # + - * / = <> < <= > >= and or
    left: Node
    right: Node


@dataclass(frozen=True)
class Not:
    operand: Node


@dataclass(frozen=True)
class IsNull:
    operand: Node
    negated: bool


@dataclass(frozen=True)
class In:
    operand: Node
    items: tuple[Node, ...]
    negated: bool


@dataclass(frozen=True)
class Between:
    operand: Node
    low: Node
    high: Node
    negated: bool


@dataclass(frozen=True)
class Like:
    operand: Node
    pattern: Literal
    negated: bool


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[Node, ...]


Node = Column | Literal | Negative | Binary | Not | IsNull | In | Between | Like | Call


# ------------------------------------------------------------------- public entry points


def canonical_check(expression: str, columns: Mapping[str, str] | Iterable[str]) -> str:
    """The kit's own SQL for `expression`, or `CheckExpressionError` saying what to change.

    `columns` are the model's columns: names, or names with their DuckDB types (then a boolean
    column may stand alone as a condition)."""
    return render(parse_check(expression, columns))


def parse_check(expression: str, columns: Mapping[str, str] | Iterable[str]) -> Node:
    types = (
        {n: t.lower() for n, t in columns.items()}
        if isinstance(columns, Mapping)
        else dict.fromkeys(columns, "")
    )
    return _Parser(expression, types).check()


def contract_column_types(built: Iterable[tuple[str, str]], contract_columns) -> dict[str, str]:
    """The columns a contract will have: the built ones, with the types the contract sets."""
    chosen = {c.name: c.data_type for c in contract_columns if c.data_type}
    return {name: chosen.get(name, data_type) for name, data_type in built}


def render(node: Node, *, all_brackets: bool = False) -> str:
    """SQL for a parsed condition. Brackets are added where DuckDB would otherwise group the
    parts differently (`all_brackets` puts them around every part, for comparison in tests)."""

    def wrap(child: Node, needed: int) -> str:
        text = render(child, all_brackets=all_brackets)
        atom = _precedence(child) == ATOM
        return text if atom or (not all_brackets and _precedence(child) >= needed) else f"({text})"

    match node:
        case Column(name):
            return f'"{name}"' if name in _quoted_names() else name
        case Literal(sql):
            return sql
        case Negative(operand):
            return f"-{wrap(operand, ATOM)}"
        case Binary(op, left, right):
            level = _precedence(node)
            if op in COMPARISONS.values():
                return f"{wrap(left, SUM)} {op} {wrap(right, SUM)}"
            return f"{wrap(left, level)} {op} {wrap(right, level + 1)}"
        case Not(operand):
            return f"not {wrap(operand, NOT)}"
        case IsNull(operand, negated):
            return f"{wrap(operand, SUM)} is {'not ' if negated else ''}null"
        case In(operand, items, negated):
            listed = ", ".join(render(i) for i in items)
            return f"{wrap(operand, SUM)} {'not ' if negated else ''}in ({listed})"
        case Between(operand, low, high, negated):
            return (
                f"{wrap(operand, SUM)} {'not ' if negated else ''}between "
                f"{wrap(low, SUM)} and {wrap(high, SUM)}"
            )
        case Like(operand, pattern, negated):
            return f"{wrap(operand, SUM)} {'not ' if negated else ''}like {pattern.sql}"
        case Call(name, args):
            return f"{name}({', '.join(wrap(a, OR) for a in args)})"
    raise TypeError(node)  # pragma: no cover


# How tightly each part binds, loosest first (as in DuckDB: `not` is looser than comparisons).
OR, AND, NOT, PREDICATE, SUM, PRODUCT, NEGATIVE, ATOM = range(1, 9)


def _precedence(node: Node) -> int:
    match node:
        case Binary(op):
            if op == "or":
                return OR
            if op == "and":
                return AND
            return SUM if op in ("+", "-") else PRODUCT if op in ("*", "/") else PREDICATE
        case Not():
            return NOT
        case IsNull() | In() | Between() | Like():
            return PREDICATE
        case Negative():
            return NEGATIVE
    return ATOM


@functools.cache
def _quoted_names() -> frozenset[str]:
    """Column names written in double quotes: DuckDB's keywords, and this grammar's own words."""
    import duckdb

    rows = duckdb.sql(
        "select keyword_name from duckdb_keywords() where keyword_category <> 'unreserved'"
    ).fetchall()
    return frozenset({r[0].lower() for r in rows} | KEYWORDS | set(FUNCTIONS))


# ------------------------------------------------------------------- reading the text


@dataclass(frozen=True)
class _Token:
    kind: str  # word | name (double-quoted) | number | string | op | end
    text: str  # words lower-cased; a string's value without its quotes
    start: int
    raw: str  # as typed, for messages


def _example(types: Mapping[str, str]) -> str:
    if "days_in_care" in types or not types:
        return "days_in_care >= 0"
    return f"{render(Column(sorted(types)[0]))} is not null"


class _Parser:
    def __init__(self, text: str, types: Mapping[str, str]) -> None:
        self.text = text
        self.types = types
        self.one_condition = (
            f"A check holds one condition on this model's columns, such as `{_example(types)}`."
        )
        self.depth = 0
        self.tokens = self._tokenize()
        self.at = 0

    # ---------------------------------------------------------------- errors

    def fail(self, problem: str, fix: str | None = None) -> CheckExpressionError:
        return CheckExpressionError(problem, fix or self.one_condition)

    # ---------------------------------------------------------------- tokens

    def _tokenize(self) -> list[_Token]:
        text = self.text
        if len(text) > MAX_LENGTH:
            raise self.fail(
                f"the check is {len(text)} characters long; a check may have at most {MAX_LENGTH}.",
                "Keep the check to one short condition, and write longer rules as a data test.",
            )
        if not text.strip():
            raise self.fail("the check is empty.")
        jinja = JINJA.search(text)
        if jinja:
            raise self.fail(
                f"`{jinja.group()}` marks code for dbt to run, and a check may not contain it.",
                f"Remove the curly braces. {self.one_condition}",
            )
        tokens: list[_Token] = []
        i = 0
        while i < len(text):
            ch = text[i]
            if ch in " \t\r\n":
                i += 1
            elif ch == "'":
                i = self._string(i, tokens)
            elif ch == '"':
                i = self._quoted_name(i, tokens)
            elif ch.isascii() and (ch.isalpha() or ch == "_"):
                word = re.match(r"[A-Za-z0-9_]+", text[i:]).group()
                tokens.append(_Token("word", word.lower(), i, word))
                i += len(word)
            elif ch.isascii() and (ch.isdigit() or re.match(r"\.[0-9]", text[i : i + 2])):
                i = self._number(i, tokens)
            else:
                i = self._symbol(i, tokens)
        tokens.append(_Token("end", "", len(text), ""))
        return tokens

    def _string(self, i: int, tokens: list[_Token]) -> int:
        text, start, value = self.text, i, []
        i += 1
        while True:
            if i >= len(text):
                raise self.fail(
                    "a quoted text starts with `'` but never ends.",
                    "Close it with another `'`; to put a `'` inside quoted text, write it twice (`''`).",
                )
            ch = text[i]
            if ch == "'":
                if text[i + 1 : i + 2] == "'":
                    value.append("'")
                    i += 2
                    continue
                break
            if ch == ";":
                raise self.fail(
                    "`;` ends one SQL statement and starts another, so a check may not contain "
                    "it, not even inside quoted text.",
                    "Leave the `;` out of the quoted text.",
                )
            if unicodedata.category(ch)[0] == "C" or unicodedata.category(ch) in ("Zl", "Zp"):
                raise self.fail(
                    f"the quoted text contains an invisible control character ({_describe(ch)}).",
                    "Type the quoted text again with visible characters only.",
                )
            value.append(ch)
            i += 1
        tokens.append(_Token("string", "".join(value), start, text[start : i + 1]))
        return i + 1

    def _quoted_name(self, i: int, tokens: list[_Token]) -> int:
        end = self.text.find('"', i + 1)
        name = self.text[i + 1 : end] if end != -1 else self.text[i + 1 :]
        if end == -1 or not PLAIN_NAME.fullmatch(name):
            raise self.fail(
                f'`"{name}{chr(34) if end != -1 else ""}` is not a column name: inside double '
                "quotes a check accepts only a plain column name.",
                "Write the column's name, with or without double quotes, for example "
                f"`{_example(self.types).split()[0]}`.",
            )
        tokens.append(_Token("name", name, i, self.text[i : end + 1]))
        return end + 1

    def _number(self, i: int, tokens: list[_Token]) -> int:
        found = re.match(r"([0-9]*)(?:\.([0-9]*))?", self.text[i:])
        whole, fraction = found.group(1), found.group(2)
        end = i + found.end()
        after = self.text[end : end + 1]
        if after and after.isascii() and (after.isalnum() or after in "_."):
            junk = re.match(r"[0-9A-Za-z_.]+", self.text[i:]).group()
            raise self.fail(
                f"`{junk}` is not a number a check can read.",
                "Write numbers with digits and at most one decimal point, such as `0`, `12` or "
                "`2.5`.",
            )
        if len(whole + (fraction or "")) > MAX_DIGITS:
            raise self.fail(
                f"`{self.text[i:end]}` has more than {MAX_DIGITS} digits.",
                "Use a shorter number.",
            )
        sql = str(int(whole or "0"))
        if fraction is not None:
            sql += "." + (fraction or "0")
        tokens.append(_Token("number", sql, i, self.text[i:end]))
        return end

    def _symbol(self, i: int, tokens: list[_Token]) -> int:
        ch, two = self.text[i], self.text[i : i + 2]
        if two in ("<=", ">=", "<>", "!="):
            tokens.append(_Token("op", two, i, two))
            return i + 2
        if ch in "=<>+-*/(),":
            if two == "--" or two == "/*":
                raise self.fail(
                    f"`{two}` starts a comment in SQL, which hides the text after it.",
                    "Remove the comment: explain the check in the decision's `rationale` instead.",
                )
            tokens.append(_Token("op", ch, i, ch))
            return i + 1
        if ch == ";":
            raise self.fail(
                "`;` ends one SQL statement and starts another.",
                f"Remove the `;` and everything after it. {self.one_condition}",
            )
        if not ch.isascii():
            looks = unicodedata.normalize("NFKC", ch)
            like = f", which looks like `{looks}`" if looks.isascii() and looks != ch else ""
            raise self.fail(
                f"`{ch}` ({_describe(ch)}{like}) is not a plain keyboard character. Outside "
                "quoted text a check reads only ASCII letters, digits and symbols, so look-alike "
                "characters from other alphabets are refused.",
                "Type the check again with a plain keyboard layout.",
            )
        if two == "::":
            raise self.fail(
                "`::` changes a value's type, which a check cannot do.",
                "Compare the value as it is; the contract's `data_type` sets a column's type.",
            )
        if ch == ".":
            raise self.fail(
                "`.` may appear only inside a number: a check reads columns of its own model, "
                "named without a table in front.",
                f"Write the column's name alone, for example `{_example(self.types).split()[0]}`.",
            )
        if unicodedata.category(ch)[0] == "C":
            raise self.fail(
                f"the check contains an invisible control character ({_describe(ch)}).",
                "Type the check again with visible characters only.",
            )
        raise self.fail(
            f"`{ch}` has no meaning in a check.",
            "A check may use columns, numbers, 'quoted text', date '2024-01-31', brackets, "
            "= <> < <= > >= + - * /, and, or, not, is null, in, between and like.",
        )

    # ---------------------------------------------------------------- grammar

    @property
    def token(self) -> _Token:
        return self.tokens[self.at]

    def peek(self, ahead: int = 1) -> _Token:
        return self.tokens[min(self.at + ahead, len(self.tokens) - 1)]

    def is_word(self, text: str) -> bool:
        return self.token.kind == "word" and self.token.text == text

    def accept(self, *texts: str) -> bool:
        if self.token.kind in ("word", "op") and self.token.text in texts:
            self.at += 1
            return True
        return False

    def expect(self, text: str, what: str) -> None:
        if not self.accept(text):
            raise self.fail(f"{what}, but found {self.found()}.")

    def found(self) -> str:
        return "the end of the check" if self.token.kind == "end" else f"`{self.token.raw}`"

    def enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.fail(
                f"the check nests brackets, `not` or minus signs more than {MAX_DEPTH} deep.",
                "Write the condition more simply, with fewer brackets.",
            )

    def check(self) -> Node:
        node = self.condition()
        if self.token.kind != "end":
            if self.token.kind == "op" and self.token.text == ")":
                raise self.fail(
                    "`)` closes a bracket that was never opened, so the check would end there "
                    "and the text after it would run as more SQL.",
                    f"Remove the extra `)`. {self.one_condition}",
                )
            raise self.fail(
                f"the check is complete after `{render(node)}`, but {self.found()} follows.",
                "Join two conditions with `and` or `or`, or remove the extra text.",
            )
        self.require_condition(node, "a check")
        return node

    def require_condition(self, node: Node, where: str) -> None:
        if _is_condition(node, self.types):
            return
        raise self.fail(
            f"`{render(node)}` is a value, but {where} must be a condition: something that is "
            "true or false for each row.",
            f"Compare the value with something, for example `{render(node)} > 0`, or "
            f"`{render(node)} is not null`.",
        )

    def condition(self) -> Node:
        self.enter()
        node = self.conjunct()
        while self.accept("or"):
            right = self.conjunct()
            self.require_condition(node, "each side of `or`")
            self.require_condition(right, "each side of `or`")
            node = Binary("or", node, right)
        self.depth -= 1
        return node

    def conjunct(self) -> Node:
        node = self.negation()
        while self.accept("and"):
            right = self.negation()
            self.require_condition(node, "each side of `and`")
            self.require_condition(right, "each side of `and`")
            node = Binary("and", node, right)
        return node

    def negation(self) -> Node:
        if self.accept("not"):
            self.enter()
            operand = self.negation()
            self.require_condition(operand, "what follows `not`")
            self.depth -= 1
            return Not(operand)
        return self.predicate()

    def predicate(self) -> Node:
        left = self.sum()
        token = self.token
        if token.kind == "op" and token.text in COMPARISONS:
            self.at += 1
            return Binary(COMPARISONS[token.text], left, self.sum())
        if self.accept("is"):
            negated = self.accept("not")
            self.expect("null", "`is` and `is not` must be followed by `null`")
            return IsNull(left, negated)
        negated = False
        ahead = self.peek()
        if self.is_word("not") and ahead.kind == "word" and ahead.text in ("in", "between", "like"):
            self.at += 1
            negated = True
        if self.accept("in"):
            self.expect("(", "`in` must be followed by a list in brackets, such as `in (1, 2)`")
            items = [self.item()]
            while self.accept(","):
                items.append(self.item())
            self.expect(")", "a list after `in` ends with `)`")
            return In(left, tuple(items), negated)
        if self.accept("between"):
            low = self.sum()
            self.expect("and", "`between` needs `and` between its two ends")
            return Between(left, low, self.sum(), negated)
        if self.accept("like"):
            if self.token.kind != "string":
                raise self.fail(
                    f"`like` must be followed by a pattern in single quotes, but found "
                    f"{self.found()}.",
                    "Write a pattern such as `like 'adopt%'`.",
                )
            pattern = _string_literal(self.token.text)
            self.at += 1
            return Like(left, pattern, negated)
        return left

    def sum(self) -> Node:
        node = self.product()
        while self.token.kind == "op" and self.token.text in ("+", "-"):
            op = self.token.text
            self.at += 1
            node = Binary(op, node, self.product())
        return node

    def product(self) -> Node:
        node = self.factor()
        while self.token.kind == "op" and self.token.text in ("*", "/"):
            op = self.token.text
            self.at += 1
            node = Binary(op, node, self.factor())
        return node

    def factor(self) -> Node:
        if self.accept("-"):
            self.enter()
            operand = self.factor()
            self.depth -= 1
            return Negative(operand)
        return self.primary()

    def item(self) -> Node:
        if self.accept("-"):
            if self.token.kind != "number":
                raise self.fail(
                    f"expected a number after `-` in the list, but found {self.found()}."
                )
            return Negative(self.primary())
        start = self.token
        node = self.primary()
        if not isinstance(node, Literal):
            raise self.fail(
                f"the list after `in` may hold only fixed values, but `{start.raw}` is not one.",
                "List numbers, 'quoted text' or dates, such as `in ('adoption', 'transfer')`.",
            )
        return node

    def primary(self) -> Node:
        token = self.token
        if token.kind == "number":
            self.at += 1
            return Literal(token.text, "number")
        if token.kind == "string":
            self.at += 1
            return _string_literal(token.text)
        if token.kind == "name":
            self.at += 1
            return self.column(token)
        if token.kind == "op" and token.text == "(":
            self.at += 1
            node = self.condition()
            self.expect(")", "a bracket opened with `(` must be closed with `)`")
            return node
        if token.kind != "word":
            raise self.fail(
                f"expected a column, a number or a quoted text, but found {self.found()}."
            )
        word = token.text
        self.at += 1
        if word in ("true", "false"):
            return Literal(word, "boolean")
        if word == "null":
            return Literal("null", "null")
        following = self.token
        if word == "date" and following.kind == "string":
            self.at += 1
            return _date_literal(following.text, self)
        is_call = following.kind == "op" and following.text == "("
        if is_call and word in FUNCTIONS:
            return self.call(token)
        if word in self.types and word not in KEYWORDS and not is_call:
            return Column(word)
        if word in ("select", "with", "values", "table", "from"):
            raise self.fail(
                f"`{token.raw}` starts a query, and a check cannot run queries: it looks only at "
                "the row being written."
            )
        if word in COMMANDS:
            raise self.fail(
                f"`{token.raw}` is a word from other kinds of SQL statements, and a check cannot "
                "run statements."
            )
        if is_call:
            raise self.fail(
                f"`{token.raw}` is not one of the functions a check may use.",
                f"A check may use {', '.join(sorted(FUNCTIONS))}.",
            )
        if following.kind == "string":
            raise self.fail(
                f"`{token.raw} {following.raw}` is a kind of value a check does not accept.",
                "Write text in plain single quotes, like `'adoption'`, and dates as "
                "`date '2024-01-31'`.",
            )
        if word in KEYWORDS:
            raise self.fail(
                f"expected a column, a number or a quoted text, but found `{token.raw}`.",
                f'A column named `{word}` must be written in double quotes: `"{word}"`.'
                if word in self.types
                else None,
            )
        return self.column(token)

    def column(self, token: _Token) -> Column:
        if token.text in self.types:
            return Column(token.text)
        close = difflib.get_close_matches(token.text, sorted(self.types), n=1)
        known = ", ".join(sorted(self.types))
        raise self.fail(
            f"`{token.raw}` is not a column of this model, and a check can only read the row's "
            "own columns.",
            f"Did you mean `{close[0]}`?" if close else f"Its columns: {known}.",
        )

    def call(self, token: _Token) -> Call:
        name = token.text
        if name not in FUNCTIONS:
            raise self.fail(
                f"`{token.raw}` is not one of the functions a check may use.",
                f"A check may use {', '.join(sorted(FUNCTIONS))}.",
            )
        self.at += 1  # the bracket
        self.enter()
        args = [] if self.token.text == ")" and self.token.kind == "op" else [self.condition()]
        while self.accept(","):
            args.append(self.condition())
        self.expect(")", f"the arguments of `{name}(` end with `)`")
        self.depth -= 1
        fewest, most = FUNCTIONS[name]
        if not fewest <= len(args) <= most:
            wanted = str(fewest) if fewest == most else f"{fewest} to {most}"
            plural = "s" if most > 1 else ""
            raise self.fail(
                f"`{name}` takes {wanted} argument{plural}, not {len(args)}.",
                f"Give `{name}` {wanted} value{plural} between its brackets"
                + (", separated by commas." if most > 1 else "."),
            )
        return Call(name, tuple(args))


def _is_condition(node: Node, types: Mapping[str, str]) -> bool:
    match node:
        case Binary(op):
            return op not in ("+", "-", "*", "/")
        case Not() | IsNull() | In() | Between() | Like():
            return True
        case Literal(kind=kind):
            return kind == "boolean"
        case Column(name):
            return types.get(name, "") in BOOLEAN_TYPES
    return False


def _string_literal(value: str) -> Literal:
    return Literal("'" + value.replace("'", "''") + "'", "string")


def _date_literal(value: str, parser: _Parser) -> Literal:
    try:
        if not DATE.fullmatch(value):
            raise ValueError
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise parser.fail(
            f"`date '{value}'` is not a calendar date.",
            "Write dates as `date 'YYYY-MM-DD'`, for example `date '2024-01-31'`.",
        ) from None
    return Literal(f"date '{day.isoformat()}'", "date")


def _describe(ch: str) -> str:
    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed character').lower()}"
