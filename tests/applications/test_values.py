"""What people type becomes one canonical value per field type, or a message saying why not."""

from __future__ import annotations

import pytest

from civitas.applications.domain import Choice, FieldType, display_value, parse_value
from civitas.applications.web import shown


@pytest.mark.parametrize(
    ("kind", "typed", "kept"),
    [
        (FieldType.TEXT, "  Rua Nova ", "Rua Nova"),
        (FieldType.DATE, "2026-03-31", "2026-03-31"),
        (FieldType.INTEGER, "03", "3"),
        (FieldType.MONEY, "650", "65000"),
        (FieldType.MONEY, "650,5", "65050"),
        (FieldType.IBAN, "gb82 west 1234 5698 7654 32", "GB82WEST12345698765432"),
    ],
)
def test_typed_values_are_kept_in_one_form(kind: FieldType, typed: str, kept: str) -> None:
    assert parse_value(kind, typed) == kept


@pytest.mark.parametrize(
    ("kind", "typed", "message"),
    [
        (FieldType.DATE, "31/03/2026", "Enter a date like 2026-03-31."),
        (FieldType.INTEGER, "-1", "Enter a whole number, like 3."),
        (FieldType.MONEY, "6.505", "Enter an amount like 650.00."),
        (FieldType.MONEY, "NaN", "Enter an amount like 650.00."),
        (FieldType.IBAN, "GB82WEST12345698765433", "This IBAN is not right: check each character."),
        (FieldType.TEXT, "x" * 201, "Use at most 200 characters."),
    ],
)
def test_values_that_cannot_be_used_say_why(kind: FieldType, typed: str, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace(".", r"\.")):
        parse_value(kind, typed)


def test_a_child_must_be_one_of_those_offered() -> None:
    children = (Choice("123456789", "Eva Lopes (2021-07-07)"),)
    assert parse_value(FieldType.CHILD, "123456789", children) == "123456789"
    with pytest.raises(ValueError, match="Choose one of your children"):
        parse_value(FieldType.CHILD, "987654321", children)


def test_money_is_shown_in_units_with_two_decimals() -> None:
    assert display_value(FieldType.MONEY, "65050") == "650.50"
    assert display_value(FieldType.MONEY, "5") == "0.05"
    assert display_value(FieldType.TEXT, "5") == "5"


def test_money_on_the_form_reads_with_its_currency_in_the_pages_language() -> None:
    assert shown(FieldType.MONEY, "65050", "en", "EUR") == "€650.50"
    assert shown(FieldType.MONEY, "65050", "pt", "EUR") == "650,50\xa0€"
    assert shown(FieldType.DATE, "2026-03-02", "pt", "EUR") == "2026-03-02"
