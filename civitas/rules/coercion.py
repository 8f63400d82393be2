"""How values of different types meet in a formula: the typing rules of the language.

Plain numbers take the type they meet; whole numbers widen to rates; a product or
quotient of two kinds has one result kind and a scale that keeps units whole.
"""

from __future__ import annotations

from decimal import Decimal

from civitas.rules.expressions import Const, Convert, Expr, Literal
from civitas.rules.values import INTEGER, RATE, RATE_ONE, Kind, Type, cents, millionths


class TypeProblem(Exception):
    """A formula that cannot be computed as written."""


PRODUCTS = {
    (Kind.MONEY, Kind.INTEGER): (Kind.MONEY, 1),
    (Kind.INTEGER, Kind.MONEY): (Kind.MONEY, 1),
    (Kind.MONEY, Kind.RATE): (Kind.MONEY, RATE_ONE),
    (Kind.RATE, Kind.MONEY): (Kind.MONEY, RATE_ONE),
    (Kind.INTEGER, Kind.INTEGER): (Kind.INTEGER, 1),
    (Kind.INTEGER, Kind.RATE): (Kind.RATE, 1),
    (Kind.RATE, Kind.INTEGER): (Kind.RATE, 1),
    (Kind.RATE, Kind.RATE): (Kind.RATE, RATE_ONE),
}
QUOTIENTS = {
    (Kind.MONEY, Kind.INTEGER): (Kind.MONEY, 1),
    (Kind.MONEY, Kind.RATE): (Kind.MONEY, RATE_ONE),
    (Kind.MONEY, Kind.MONEY): (Kind.RATE, RATE_ONE),
    (Kind.INTEGER, Kind.INTEGER): (Kind.RATE, RATE_ONE),
    (Kind.RATE, Kind.INTEGER): (Kind.RATE, 1),
    (Kind.RATE, Kind.RATE): (Kind.RATE, RATE_ONE),
    (Kind.INTEGER, Kind.RATE): (Kind.RATE, RATE_ONE * RATE_ONE),
}


def settle(node: Expr, found: Type | None) -> tuple[Expr, Type]:
    """A plain number with nothing to meet: a whole number stays one, else a rate."""
    if found is not None:
        return node, found
    wanted = literal_type([(node, None)])
    return coerce(node, None, wanted), wanted


def literal_type(values: list[tuple[Expr, Type | None]]) -> Type:
    """Whole numbers alone are integers; any decimal among them makes them rates."""
    decimal = any(isinstance(n, Literal) and isinstance(n.value, Decimal) for n, _ in values)
    return RATE if decimal else INTEGER


def unify(
    left: Expr, left_type: Type | None, right: Expr, right_type: Type | None
) -> tuple[Expr, Expr, Type]:
    common = common_type([left_type, right_type]) or INTEGER
    if common.kind is Kind.ENUM:
        # a value written in the formula must be one of the variable's choices
        for written, other in ((left, right_type), (right, left_type)):
            if isinstance(written, Const) and other is not None:
                check_choices(other, (str(written.value),))
        return left, right, common
    return coerce(left, left_type, common), coerce(right, right_type, common), common


def common_type(types: list[Type | None]) -> Type | None:
    """The type several values meet in: integers widen to rates; else all must agree."""
    known = [found for found in types if found is not None]
    if not known:
        return None
    kinds = {found.kind for found in known}
    if kinds == {Kind.INTEGER, Kind.RATE}:
        return RATE
    if len(kinds) > 1:
        listed = " and ".join(sorted(str(kind) for kind in kinds))
        raise TypeProblem(f"it mixes {listed} values, which do not meet.")
    return known[0]


def coerce(node: Expr, found: Type | None, wanted: Type) -> Expr:
    """``node`` as a value of ``wanted``, or a TypeProblem saying why it cannot be."""
    if found is None:
        assert isinstance(node, Literal)
        value = node.value
        try:
            if wanted.kind is Kind.MONEY:
                return Const(cents(value), Kind.MONEY)  # type: ignore[arg-type]
            if wanted.kind is Kind.RATE:
                return Const(millionths(value), Kind.RATE)  # type: ignore[arg-type]
            if wanted.kind is Kind.INTEGER and isinstance(value, int):
                return Const(value, Kind.INTEGER)
        except ValueError as problem:
            raise TypeProblem(str(problem)) from None
        raise TypeProblem(f"the number {value} cannot be {wanted.kind}.")
    if found.kind is wanted.kind:
        return node
    if found.kind is Kind.INTEGER and wanted.kind is Kind.RATE:
        return Convert(node, RATE_ONE)
    raise TypeProblem(f"expected {wanted.kind}, but this is {found.kind}.")


def check_choices(declared: Type, written: tuple[str, ...]) -> None:
    if not declared.choices:
        return
    for choice in written:
        if choice not in declared.choices:
            allowed = ", ".join(declared.choices)
            raise TypeProblem(f"'{choice}' is not one of its values ({allowed}).")
