"""The input tables of a batch: which columns it reads, and whether they fit.

Tables are described by their columns and what each holds ("integer", "boolean",
"date", "string", "null", or the name of anything else), so that every problem is
found from the schemas alone, all at once, before any query runs. Each column read
gets a name of its own for the computation; ids get fixed ones.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from civitas.core.errors import FieldError, InvalidInput
from civitas.core.i18n import N_
from civitas.rules.entities import PERSON
from civitas.rules.periods import Period, Unit
from civitas.rules.values import Kind

ID = "__id"  # the person's or group's own id, in every table while computing

# what each kind of value needs as its column type (see batch.column_type)
NEEDED_TYPE = {
    Kind.BOOL: "boolean",
    Kind.INTEGER: "integer",
    Kind.MONEY: "integer",
    Kind.RATE: "integer",
    Kind.DATE: "date",
    Kind.ENUM: "string",
}
_SHOWN_TYPE = {
    Kind.BOOL: "boolean",
    Kind.INTEGER: "int64",
    Kind.MONEY: "int64 (whole cents)",
    Kind.RATE: "int64 (millionths)",
    Kind.DATE: "date",
    Kind.ENUM: "string",
}


def membership_of(group: str) -> str:
    """The person column holding the id of the person's group of this kind."""
    return f"__{group}"


def role_of(group: str) -> str:
    """The person column holding the person's role in that group."""
    return f"__{group}_role"


@dataclass(frozen=True)
class InputColumn:
    """A column read from an input table."""

    entity: str
    source: str  # its name in the input table
    name: str  # its name while computing
    kind: Kind | None  # None for an id
    nullable: bool = True  # False when the table says the column holds no NULL


@dataclass
class InputTables:
    """The columns a batch reads from its input tables, and the problems found."""

    tables: Mapping[str, Mapping[str, str]]  # entity -> column -> what it holds
    complete: Mapping[str, Collection[str]] = field(default_factory=dict)  # no NULL in them
    read: dict[tuple[str, str], InputColumn] = field(default_factory=dict)
    errors: list[FieldError] = field(default_factory=list)

    def columns(self, entity: str) -> Mapping[str, str]:
        return self.tables.get(entity, {})

    def column(self, entity: str, source: str, kind: Kind | None, name: str = "") -> str:
        """The name a column is computed under, checking it the first time."""
        key = (entity, source)
        if key not in self.read:
            nullable = source not in self.complete.get(entity, ())
            self.read[key] = InputColumn(
                entity, source, name or f"__in{len(self.read)}", kind, nullable
            )
            self._check(entity, source, kind)
        return self.read[key].name

    def missing(self, entity: str, name: str, period: Period, kind: Kind) -> None:
        """An input variable without any column."""
        if entity not in self.tables:
            self._check(entity, name, kind)
            return
        add = f"add '{name}' ({_SHOWN_TYPE[kind]})"
        if period.unit is not Unit.ETERNITY:
            add += f" for every period, or '{name}@{period}' for that period"
        self._problem(
            (entity, name),
            f"The input variable '{name}' has no column in the {entity} table: {add}.",
        )

    def identifiers(self, entities: set[str], memberships: set[str]) -> None:
        """The id columns the entities need; persons also the ids of their groups of
        the kinds given, and of every kind that has no table of its own."""
        groups = entities - {PERSON}
        memberships = memberships | {group for group in groups if group not in self.tables}
        if PERSON in entities or memberships:
            self.column(PERSON, "person_id", None, ID)
        for group in sorted(memberships):
            self.column(PERSON, f"{group}_id", None, membership_of(group))
        for group in sorted(groups & set(self.tables)):
            self.column(group, f"{group}_id", None, ID)

    def check(self) -> None:
        """Raise InvalidInput naming every problem, if any was found."""
        if self.errors:
            raise InvalidInput(
                N_("The input tables cannot be used: {count} problem(s)."),
                hint=N_("Add or correct the columns listed, then run the batch again."),
                params={"count": len(self.errors)},
                errors=tuple(self.errors),
            )

    def _check(self, entity: str, source: str, kind: Kind | None) -> None:
        columns = self.tables.get(entity)
        wanted = "integer" if kind is None else NEEDED_TYPE[kind]
        shown = "int64" if kind is None else _SHOWN_TYPE[kind]
        if columns is None:
            message = f"There is no {entity} table; it needs at least the column '{source}'."
            self.errors.append(FieldError(("inputs", entity), message))
        elif source not in columns:
            message = f"The {entity} table has no column '{source}' ({shown})."
            self._problem((entity, source), message)
        elif columns[source] not in (wanted, "null"):
            self._problem(
                (entity, source),
                f"The column '{source}' of the {entity} table holds {columns[source]} "
                f"values; it must hold {shown}.",
            )

    def _problem(self, where: tuple[str, str], message: str) -> None:
        self.errors.append(FieldError(("inputs", *where), message))
