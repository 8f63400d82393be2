"""A situation: the persons and groups one calculation is about, and what is known.

Written by people (YAML tests, the JSON API, the screener) in plain units::

    persons:
      ana: {birth_date: 1990-05-01, monthly_income: 900.00}
      rui: {birth_date: 2020-02-10}
    households:
      home: {adult: [ana], child: [rui], monthly_rent: 450.00}

Group kinds are written in the plural (``households``). A group names its members
by role and holds its own inputs. A value holds for every period, or is a mapping
from periods (``2026-03``) to values. When a kind of group is left out, all persons
form one group, each in its first role. Money is in euros (900.00), rates are
fractions (0.65), dates are ``YYYY-MM-DD``. Values are stored as the evaluators
use them (see :mod:`civitas.rules.values`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from civitas.core.errors import FieldError, InvalidInput
from civitas.core.i18n import N_
from civitas.core.text import Path
from civitas.rules.entities import PERSON
from civitas.rules.periods import Period
from civitas.rules.rulebook import RuleBook
from civitas.rules.values import Kind, Type, Value, cents, millionths, to_decimal

Known = Value | Mapping[str, Value]  # a stored value, or one per period
_ID = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


@dataclass(frozen=True)
class GroupInstance:
    """One group: its members by role and its own inputs."""

    members: Mapping[str, tuple[str, ...]]
    inputs: Mapping[str, Known] = field(default_factory=dict)


@dataclass(frozen=True)
class Situation:
    persons: Mapping[str, Mapping[str, Known]]
    groups: Mapping[str, Mapping[str, GroupInstance]] = field(default_factory=dict)

    def inputs_of(self, entity: str, member: str) -> Mapping[str, Known]:
        if entity == PERSON:
            return self.persons[member]
        return self.groups[entity][member].inputs


def plural(group: str) -> str:
    """How a group kind is written in a situation: household -> households."""
    return group + "s"


def read_situation(rules: RuleBook, data: object, at: Path = ()) -> Situation:
    """A situation from plain data, or InvalidInput naming every field that is wrong."""
    reader = _Reader(rules, at)
    situation = reader.situation(data)
    if reader.errors or situation is None:
        raise InvalidInput(
            N_("The situation has {count} problem(s)."),
            hint=N_("Correct each field listed and try again."),
            params={"count": len(reader.errors)},
            errors=tuple(reader.errors),
        )
    return situation


class _Reader:
    def __init__(self, rules: RuleBook, at: Path) -> None:
        self.rules = rules
        self.at = at
        self.errors: list[FieldError] = []

    def problem(self, path: Path, message: str) -> None:
        self.errors.append(FieldError((*self.at, *path), message))

    def situation(self, data: object) -> Situation | None:
        if not isinstance(data, Mapping):
            self.problem((), "Expected a mapping with 'persons' and groups.")
            return None
        allowed = {"persons", *(plural(g) for g in self.rules.entities.groups)}
        for key in data:
            if key not in allowed:
                self.problem((str(key),), f"Unknown key; use one of: {', '.join(sorted(allowed))}.")
        raw_persons = data.get("persons")
        if not isinstance(raw_persons, Mapping) or not raw_persons:
            self.problem(("persons",), "List at least one person, each with an id.")
            return None
        persons = {
            str(pid): self.inputs(PERSON, values, ("persons", str(pid)))
            for pid, values in raw_persons.items()
            if self.identifier(pid, ("persons",))
        }
        groups = {
            group: self.groups(group, data.get(plural(group)), persons)
            for group in self.rules.entities.groups
        }
        return Situation(persons, groups)

    def identifier(self, value: object, path: Path) -> bool:
        if isinstance(value, str | int) and _ID.match(str(value)):
            return True
        self.problem(
            (*path, str(value)[:40]), "An id has 1 to 64 letters, digits, '_', '-' or '.'."
        )
        return False

    def groups(
        self, group: str, raw: object, persons: Mapping[str, Any]
    ) -> dict[str, GroupInstance]:
        roles = tuple(self.rules.entities.groups[group].roles)
        key = plural(group)
        if raw is None:  # everyone together, in the first role
            return {group: GroupInstance({roles[0]: tuple(persons)})}
        if not isinstance(raw, Mapping):
            self.problem((key,), "Expected a mapping of group ids to their members and inputs.")
            return {}
        placed: dict[str, str] = {}
        instances = {}
        for gid, content in raw.items():
            if not self.identifier(gid, (key,)):
                continue
            path: Path = (key, str(gid))
            if not isinstance(content, Mapping):
                self.problem(path, "Expected the members by role, e.g. adult: [ana].")
                continue
            members: dict[str, tuple[str, ...]] = {}
            values: dict[str, Any] = {}
            for name, value in content.items():
                if name in roles:
                    members[name] = self.member_list(
                        value, (*path, name), persons, placed, str(gid)
                    )
                else:
                    values[name] = value
            instances[str(gid)] = GroupInstance(members, self.inputs(group, values, path))
        for pid in persons:
            if pid not in placed:
                self.problem((key,), f"The person '{pid}' is in no {group}; add them to one.")
        return instances

    def member_list(
        self,
        value: object,
        path: Path,
        persons: Mapping[str, Any],
        placed: dict[str, str],
        gid: str,
    ) -> tuple[str, ...]:
        if not isinstance(value, list):
            self.problem(path, "Expected a list of person ids, e.g. [ana, rui].")
            return ()
        found = []
        for pid in map(str, value):
            if pid not in persons:
                self.problem(path, f"'{pid}' is not one of the persons.")
            elif pid in placed:
                self.problem(
                    path,
                    f"'{pid}' is already in '{placed[pid]}'; "
                    "a person is in one group of each kind.",
                )
            else:
                placed[pid] = gid
                found.append(pid)
        return tuple(found)

    def inputs(self, entity: str, raw: object, path: Path) -> dict[str, Known]:
        if raw is None:
            return {}
        if not isinstance(raw, Mapping):
            self.problem(path, "Expected a mapping of variable names to values.")
            return {}
        known: dict[str, Known] = {}
        for name, value in raw.items():
            declared = self.rules.variables.get(str(name))
            where = (*path, str(name))
            if declared is None:
                self.problem(where, "No rule has a variable with this name.")
            elif declared.entity != entity:
                self.problem(
                    where, f"This variable belongs to a {declared.entity}, not a {entity}."
                )
            elif value is None:
                continue  # left empty: unknown
            elif isinstance(value, Mapping):
                per_period = {}
                for period, item in value.items():
                    text = str(period)
                    try:
                        Period.parse(text)
                    except InvalidInput:
                        self.problem((*where, text), "Expected a period such as 2026-03.")
                        continue
                    converted = self.value(declared.type, item, (*where, text))
                    if converted is not _BAD and item is not None:
                        per_period[text] = converted
                known[str(name)] = per_period
            else:
                converted = self.value(declared.type, value, where)
                if converted is not _BAD:
                    known[str(name)] = converted
        return known

    def value(self, kind: Type, raw: object, path: Path) -> Any:
        try:
            return parse_value(kind, raw)
        except ValueError as problem:
            self.problem(path, str(problem))
            return _BAD


_BAD = object()


def parse_value(kind: Type, raw: object) -> Value:
    """A plain value (from YAML, JSON or a form) in its stored form, or ValueError."""
    match kind.kind:
        case Kind.BOOL:
            if isinstance(raw, bool):
                return raw
            if raw in ("true", "yes", "on"):
                return True
            if raw in ("false", "no", "off"):
                return False
            raise ValueError("Expected yes or no (true or false).")
        case Kind.INTEGER:
            if isinstance(raw, int) and not isinstance(raw, bool):
                return raw
            if isinstance(raw, str) and re.fullmatch(r"-?\d{1,12}", raw.strip()):
                return int(raw)
            raise ValueError("Expected a whole number.")
        case Kind.MONEY:
            return cents(_decimal(raw, "an amount such as 900.00", 2))
        case Kind.RATE:
            return millionths(_decimal(raw, "a fraction such as 0.65", 6))
        case Kind.DATE:
            if isinstance(raw, date):
                return raw
            try:
                return date.fromisoformat(str(raw))
            except ValueError:
                raise ValueError("Expected a date such as 2026-03-15.") from None
        case Kind.ENUM:
            if isinstance(raw, str) and (not kind.choices or raw in kind.choices):
                return raw
            raise ValueError(f"Expected one of: {', '.join(kind.choices)}.")
    raise ValueError("Unsupported type.")


def _decimal(raw: object, example: str, places: int) -> Decimal:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str | Decimal):
        raise ValueError(f"Expected {example}.")
    try:
        value = Decimal(repr(raw) if isinstance(raw, float) else str(raw).strip())
    except InvalidOperation:
        raise ValueError(f"Expected {example}.") from None
    if (
        not value.is_finite()
        or value != value.quantize(Decimal(1).scaleb(-places))
        or abs(value) >= 10**12
    ):
        raise ValueError(f"Expected {example}, with at most {places} decimal places.")
    return value


def show_value(value: Value, kind: Type) -> str:
    """A stored value as people write it: 165.00, 0.65, true, 2026-03-15."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if kind.kind in (Kind.MONEY, Kind.RATE) and isinstance(value, int):
        return f"{to_decimal(value, kind.kind):f}"
    return str(value)
