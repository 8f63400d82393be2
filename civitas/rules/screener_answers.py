"""Answers typed into the screener's questions: read, checked, and carried between pages.

Money is read as people type it (``1,250.50``, ``1250,50 €``); a date comes in three
fields (day, month, year) as on GOV.UK; "I do not know" is an answer of every type. An
answer that cannot be used raises :class:`AnswerProblem` with a message to show next to
the field. Earlier answers travel between pages as plain text (:func:`carry`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import Enum

from civitas.core.i18n import N_
from civitas.rules.situation import parse_value, show_value
from civitas.rules.values import Kind, Type, Value, cents, millionths


class DontKnow(Enum):
    """The answer "I do not know"."""

    DONT_KNOW = "?"


DONT_KNOW = DontKnow.DONT_KNOW
Answer = Value | DontKnow


@dataclass(frozen=True)
class AnswerProblem(Exception):
    """An answer that cannot be used: a message template (``N_``) and its parameters."""

    message: str
    part: str = ""  # which field of the question: "" or "day", "month", "year"
    params: Mapping[str, object] = field(default_factory=dict)


def read_answer(kind: Type, fields: Mapping[str, str], language: str) -> Answer:
    """An answer typed into a question's fields, or AnswerProblem saying what to fix.

    ``fields`` holds ``value`` (or ``day``, ``month``, ``year`` for a date) and
    ``unknown`` when "I do not know" was ticked or chosen.
    """
    value = fields.get("value", "").strip()
    if value == DONT_KNOW.value or fields.get("unknown"):
        if kind.kind is Kind.DATE and any(fields.get(p, "").strip() for p in _DATE_PARTS):
            raise AnswerProblem(N_("Enter a date, or tick ‘I do not know’, not both."), "day")
        if value and value != DONT_KNOW.value:
            raise AnswerProblem(N_("Enter an answer, or tick ‘I do not know’, not both."))
        return DONT_KNOW
    match kind.kind:
        case Kind.BOOL:
            if value not in ("true", "false"):
                raise AnswerProblem(N_("Choose yes, no or ‘I do not know’."))
            return value == "true"
        case Kind.ENUM:
            if value not in kind.choices:
                raise AnswerProblem(N_("Choose one of the answers, or ‘I do not know’."))
            return value
        case Kind.DATE:
            return _date(fields)
        case Kind.INTEGER:
            return _whole_number(value)
        case Kind.MONEY:
            return cents(_number(value, language, 2))
        case Kind.RATE:
            return millionths(_number(value.removesuffix("%").strip(), language, 4) / 100)
    raise AnswerProblem(N_("This question cannot be answered here."))


_DATE_PARTS = ("day", "month", "year")
MIN_YEAR, MAX_YEAR = 1900, 2100


def _date(fields: Mapping[str, str]) -> date:
    parts = {p: fields.get(p, "").strip() for p in _DATE_PARTS}
    if not any(parts.values()):
        raise AnswerProblem(N_("Enter a date, or tick ‘I do not know’."), "day")
    for part, text in parts.items():
        if not text:
            message = {
                "day": N_("The date must include a day."),
                "month": N_("The date must include a month."),
                "year": N_("The date must include a year."),
            }[part]
            raise AnswerProblem(message, part)
        if not text.isdecimal() or len(text) > 4:
            raise AnswerProblem(N_("Enter the date in numbers, for example 27 3 2007."), part)
    year = int(parts["year"])
    if len(parts["year"]) != 4 or not MIN_YEAR <= year <= MAX_YEAR:
        raise AnswerProblem(
            N_("Enter the year with 4 digits, from {first} to {last}."),
            "year",
            {"first": MIN_YEAR, "last": MAX_YEAR},
        )
    try:
        return date(year, int(parts["month"]), int(parts["day"]))
    except ValueError:
        part = "month" if not 1 <= int(parts["month"]) <= 12 else "day"
        raise AnswerProblem(N_("Enter a real date, for example 27 3 2007."), part) from None


MAX_WHOLE = 1_000_000
MAX_AMOUNT = Decimal(1_000_000_000)


def _whole_number(text: str) -> int:
    if not text:
        raise AnswerProblem(N_("Enter a number, or tick ‘I do not know’."))
    if not re.fullmatch(r"[0-9]{1,7}", text.replace(" ", "")):
        raise AnswerProblem(N_("Enter a whole number of 0 or more, such as 12."))
    number = int(text.replace(" ", ""))
    if number > MAX_WHOLE:
        raise AnswerProblem(N_("Enter a number under {max}."), params={"max": MAX_WHOLE})
    return number


def _number(text: str, language: str, places: int) -> Decimal:
    """An amount as people type it: 1250.50, 1,250.50, €1 250 or (in Portuguese) 1250,50."""
    if not text:
        raise AnswerProblem(N_("Enter an amount, or tick ‘I do not know’."))
    cleaned = re.sub(r"[\s\u00a0€$£]|EUR", "", text)
    if cleaned.startswith("-"):
        raise AnswerProblem(N_("Enter an amount of 0 or more."))
    if not re.fullmatch(r"[0-9.,]+", cleaned) or not re.search(r"[0-9]", cleaned):
        raise AnswerProblem(N_("Enter an amount in numbers, such as 600 or 1250.50."))
    decimal_mark = _decimal_mark(cleaned, language)
    thousands = "," if decimal_mark == "." else "."
    whole, _, fraction = cleaned.replace(thousands, "").partition(decimal_mark)
    if decimal_mark in fraction:
        raise AnswerProblem(N_("Enter an amount in numbers, such as 600 or 1250.50."))
    try:
        amount = Decimal(f"{whole or '0'}.{fraction or '0'}")
    except InvalidOperation:
        raise AnswerProblem(N_("Enter an amount in numbers, such as 600 or 1250.50.")) from None
    if amount != amount.quantize(Decimal(1).scaleb(-places)):
        raise AnswerProblem(
            N_("Enter the amount with at most {places} decimal places."),
            params={"places": places},
        )
    if amount >= MAX_AMOUNT:
        raise AnswerProblem(N_("Enter an amount under {max}."), params={"max": MAX_AMOUNT})
    return amount


def _decimal_mark(text: str, language: str) -> str:
    """Which of . and , separates the decimals: the last one when both appear."""
    if "." in text and "," in text:
        return "." if text.rfind(".") > text.rfind(",") else ","
    mark = "." if "." in text else "," if "," in text else "."
    if text.count(mark) > 1:  # 1.250.000 or 1,250,000: thousands only
        return "," if mark == "." else "."
    digits_after = len(text) - text.rfind(mark) - 1
    native = "," if language == "pt" else "."
    if mark != native and digits_after == 3:  # 1,250 in English, 1.250 in Portuguese
        return native
    return mark


# -------------------------------------------------------------------- carried answers


def carry(answer: Answer, kind: Type) -> str:
    """An answer as a hidden form field keeps it: plain text, "?" for I do not know."""
    if isinstance(answer, DontKnow):
        return answer.value
    return show_value(answer, kind)


def read_carried(kind: Type, text: str) -> Answer | None:
    """A carried answer back; None when it was tampered with (it is asked again)."""
    if text == DONT_KNOW.value:
        return DONT_KNOW
    try:
        return parse_value(kind, text)
    except ValueError:
        return None
