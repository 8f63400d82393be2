"""What if the law changed? A reform computed over a whole population, against the law.

Both rule books run in batch on the same inputs. Each money benefit is totalled
before and after; each household's change is the sum of its own benefits and its
members', and households are counted as gaining, losing or unchanged overall and
by each dimension asked for: columns of the household table (region, household
type) and the household's income decile under the law in force.

Unknown values (an input the data does not hold) are counted, not guessed: they
add nothing to totals or changes, and the report says how many there were.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from civitas.core.errors import FieldError, InvalidInput
from civitas.core.i18n import N_
from civitas.core.text import LocalText
from civitas.rules.batch import Source, compute, schema_of
from civitas.rules.entities import PERSON
from civitas.rules.periods import Period
from civitas.rules.reforms import Reform, apply_reform
from civitas.rules.rulebook import RuleBook
from civitas.rules.values import Kind
from civitas.rules.variables import Variable

DECILE = "income_decile"


@dataclass(frozen=True)
class BenefitChange:
    """One benefit's monthly total under the law and under the reform."""

    name: str
    label: LocalText
    before: int  # cents
    after: int
    recipients_before: int  # persons or groups with more than zero
    recipients_after: int
    unknown: int  # values that could not be known, under either

    @property
    def change(self) -> int:
        return self.after - self.before


@dataclass(frozen=True)
class GroupChange:
    """Households of one group (a region, a decile) and how the reform moves them."""

    dimension: str
    group: str
    households: int
    gaining: int
    losing: int
    change: int  # cents a month, all households of the group together


@dataclass(frozen=True)
class ReformReport:
    reform: Reform
    period: Period
    group: str  # the kind of group households are counted as, e.g. household
    benefits: tuple[BenefitChange, ...]
    groups: tuple[GroupChange, ...]  # overall first (dimension "all"), then by dimension

    @property
    def total_change(self) -> int:
        return sum(benefit.change for benefit in self.benefits)


def compare_reform(
    rules: RuleBook,
    change: Reform,
    period: Period,
    inputs: Mapping[str, Source],
    *,
    income: str,
    dimensions: Sequence[str] = (),
    backend: str = "duckdb",
) -> ReformReport:
    """The reform's cost and who gains or loses, over every person and group in ``inputs``."""
    reformed = apply_reform(rules, change)
    household = rules.variable(income).entity
    benefits = [b for b in rules.benefits() if b.type.kind is Kind.MONEY]
    _check(rules, household, income, dimensions, inputs)
    names = [b.name for b in benefits]
    before = compute(rules, period, [*names, income], inputs, backend=backend)
    after = compute(reformed, period, names, inputs, backend=backend)
    with duckdb.connect() as db:
        db.execute("SET preserve_insertion_order = false")
        for entity in set(before) | set(after):
            db.register(f"before_{entity}", before[entity])
            db.register(f"after_{entity}", after[entity])
        key = f"{household}_id"
        db.register("members", _table(inputs[PERSON], ["person_id", key]))
        extra = [d for d in dimensions if d != DECILE]
        dims = [key, *extra]
        db.register(
            "dims",
            _table(inputs[household], dims) if extra else pa.table({key: pa.array([], pa.int64())}),
        )
        totals = tuple(_benefit(db, b.name, b.label, b.entity, key) for b in benefits)
        db.execute(_household_changes(benefits, household, key, income, extra))
        groups = [_groups(db, "all", "'all'")]
        groups += [_groups(db, d, _quoted(d)) for d in dimensions]
    return ReformReport(
        change, period, household, totals, tuple(g for found in groups for g in found)
    )


def _check(
    rules: RuleBook,
    household: str,
    income: str,
    dimensions: Sequence[str],
    inputs: Mapping[str, Source],
) -> None:
    errors = []
    if household == PERSON or rules.variable(income).type.kind is not Kind.MONEY:
        errors.append(
            FieldError(("income",), "Name a money variable of a group, e.g. a household's income.")
        )
    if PERSON not in inputs or household not in inputs:
        errors.append(
            FieldError(("inputs",), f"Give both the {PERSON} and the {household} tables.")
        )
    elif dimensions:
        columns = set(schema_of(inputs[household]).names)
        for dimension in dimensions:
            if dimension != DECILE and dimension not in columns:
                errors.append(
                    FieldError(
                        ("by", dimension), f"The {household} table has no column '{dimension}'."
                    )
                )
    if errors:
        raise InvalidInput(
            N_("The reform cannot be compared as asked."),
            hint=N_("Correct each field listed and try again."),
            errors=tuple(errors),
        )


def _table(source: Source, columns: list[str]) -> pa.Table:
    if isinstance(source, pa.Table):
        return source.select(columns)
    return pq.read_table(source, columns=columns)


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _benefit(
    db: duckdb.DuckDBPyConnection, name: str, label: LocalText, entity: str, key: str
) -> BenefitChange:
    column = _quoted(name)
    row = db.execute(
        f"""
        SELECT coalesce(sum(b.{column}), 0), coalesce(sum(a.{column}), 0),
               count(*) FILTER (WHERE b.{column} > 0), count(*) FILTER (WHERE a.{column} > 0),
               count(*) FILTER (WHERE b.{column} IS NULL OR a.{column} IS NULL)
        FROM before_{entity} b JOIN after_{entity} a USING ({_id(entity, key)})
        """
    ).fetchone()
    assert row is not None
    return BenefitChange(
        name, label, int(row[0]), int(row[1]), int(row[2]), int(row[3]), int(row[4])
    )


def _id(entity: str, key: str) -> str:
    return "person_id" if entity == PERSON else key


def _household_changes(
    benefits: Sequence[Variable], household: str, key: str, income: str, extra: Sequence[str]
) -> str:
    """A table of households: their change, income decile and dimension columns."""
    own = [b for b in benefits if b.entity == household]
    persons = [b for b in benefits if b.entity == PERSON]

    def total(prefix: str, found: Sequence[Variable]) -> str:
        return " + ".join(f"coalesce({prefix}.{_quoted(b.name)}, 0)" for b in found) or "0"

    person_part = (
        f"""(SELECT m.{key}, sum({total("a", persons)} - ({total("b", persons)})) AS change
            FROM members m JOIN before_{PERSON} b USING (person_id)
            JOIN after_{PERSON} a USING (person_id) GROUP BY m.{key})"""
        if persons
        else f"(SELECT NULL::BIGINT AS {key}, 0 AS change WHERE false)"
    )
    dims = "".join(f", d.{_quoted(d)}" for d in extra)
    return f"""
        CREATE TEMP TABLE changes AS
        SELECT b.{key},
               ({total("a", own)}) - ({total("b", own)}) + coalesce(p.change, 0) AS change,
               ntile(10) OVER (ORDER BY b.{_quoted(income)}) AS {DECILE}{dims}
        FROM before_{household} b JOIN after_{household} a USING ({key})
        LEFT JOIN {person_part} p USING ({key})
        LEFT JOIN dims d USING ({key})
    """


def _groups(db: duckdb.DuckDBPyConnection, dimension: str, expression: str) -> list[GroupChange]:
    rows = db.execute(
        f"""
        SELECT {expression} AS grp, count(*), count(*) FILTER (WHERE change > 0),
               count(*) FILTER (WHERE change < 0), coalesce(sum(change), 0)
        FROM changes GROUP BY grp ORDER BY grp NULLS LAST
        """
    ).fetchall()
    return [
        GroupChange(
            dimension, "-" if grp is None else str(grp), int(n), int(up), int(down), int(total)
        )
        for grp, n, up, down, total in rows
    ]
