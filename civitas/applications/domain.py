"""Application forms, the facts in them and where each fact came from.

A form is country-pack data: the fields every application asks (about you, your
address) and those of one service. A field is *sourced* (a register holds the fact;
the person confirms or corrects it) or *asked* (only the person knows it). What the
person sends is kept with the origin of every value, so the state can show what it
used and measure how much it spared people from typing.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from civitas.core.errors import FieldError, InvalidInput, NotFound
from civitas.core.i18n import N_
from civitas.core.text import LocalText
from civitas.deliveries.domain import Delivery, Parcel

PURPOSE = "prefill-application"  # the exchange purpose every prefill call names
MAX_TEXT = 200


class FieldType(enum.StrEnum):
    """What a field holds: how an answer is checked and kept."""

    TEXT = "text"
    DATE = "date"
    INTEGER = "integer"
    MONEY = "money"  # kept as whole cents
    IBAN = "iban"
    CHILD = "child"  # one of the person's children under 18, from the population register


class Origin(enum.StrEnum):
    """Where a submitted value came from."""

    PREFILLED = "prefilled"  # a register gave it and the person confirmed it
    CORRECTED = "corrected"  # a register gave it and the person changed it
    TYPED = "typed"  # the person gave it: no register could


class Status(enum.StrEnum):
    DRAFT = "draft"  # fetched, waiting for the person to check and send
    SUBMITTED = "submitted"


@dataclass(frozen=True)
class Source:
    """The register data item a field is filled from."""

    service: str  # member/subsystem/service in the exchange, e.g. civil-registry/addresses/person
    item: str  # the column, e.g. postcode

    @property
    def party(self) -> str:
        """The register (member/subsystem) that owns the fact."""
        return self.service.rsplit("/", 1)[0]


@dataclass(frozen=True)
class FormField:
    """One question of a form."""

    id: str  # unique in a service's form, e.g. postcode; lowercase letters, digits and _
    label: LocalText  # the question, in each language
    type: FieldType  # how the answer is checked and kept
    source: Source | None = None  # the register item that fills it in; none: the person is asked
    hint: LocalText = field(default_factory=dict)  # help shown under the question
    required: bool = True  # false: the person may leave it empty


@dataclass(frozen=True)
class Section:
    """A group of questions under one heading."""

    title: LocalText  # the heading, in each language
    fields: tuple[FormField, ...]  # the questions, in order


@dataclass(frozen=True)
class Form:
    """The form of one service: the common sections, then the service's own."""

    service_id: str
    sections: tuple[Section, ...]

    @property
    def fields(self) -> tuple[FormField, ...]:
        return tuple(f for section in self.sections for f in section.fields)

    @property
    def sources(self) -> dict[str, list[FormField]]:
        """The sourced fields by register service, in form order."""
        found: dict[str, list[FormField]] = {}
        for f in self.fields:
            if f.source is not None:
                found.setdefault(f.source.service, []).append(f)
        return found


@dataclass(frozen=True)
class Forms:
    common: tuple[Section, ...]
    extra: Mapping[str, tuple[Section, ...]]  # service id -> its own sections

    def for_service(self, service_id: str) -> Form:
        return Form(service_id, (*self.common, *self.extra.get(service_id, ())))


@dataclass(frozen=True)
class Fact:
    """A value a register gave, with the proof of the answer that carried it."""

    value: str  # canonical text: ISO dates, whole cents, digits
    party: str  # the register, member/subsystem
    item: str
    message_id: str  # X-Road-Id of the exchange call
    record_id: str = ""  # the register's record number, when the answer held it


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class Answer:
    """One field of an application: the value and where it came from."""

    field_id: str
    value: str
    origin: Origin
    fact: Fact | None = None  # what the register said, for prefilled and corrected values


@dataclass(frozen=True)
class Application:
    id: str  # the reference shown to the person
    service_id: str
    national_id: str
    status: Status
    created_at: dt.datetime
    facts: Mapping[str, Fact]  # field id -> what a register said
    choices: Mapping[str, tuple[Choice, ...]] = field(default_factory=dict)
    unanswered: tuple[str, ...] = ()  # registers that could not be reached
    answers: tuple[Answer, ...] = ()
    submitted_at: dt.datetime | None = None


@dataclass(frozen=True)
class ReportedError:
    """A correction sent back to the register that holds the fact."""

    application_id: str
    party: str
    national_id: str
    record_id: str
    item: str
    registry_value: str
    person_value: str
    reported_at: dt.datetime
    delivery: Delivery | None = None  # its sending to the register, once it is in the outbox


REPORT_ERROR = "report-error"  # the exchange purpose of sending a correction to a register


def reported_error_parcel(error: ReportedError) -> Parcel:
    """The correction as a document for the register's ``reported-error`` service."""
    return Parcel(
        service=f"{error.party}/reported-error",
        national_id=error.national_id,
        document={
            "record": error.record_id,
            "item": error.item,
            "registered": error.registry_value,
            "reported": error.person_value,
        },
        purpose=REPORT_ERROR,
        user=error.national_id,
        topic=f"application:{error.application_id}",
    )


@dataclass(frozen=True)
class Burden:
    """How much typing the registers spared people, for one service."""

    service_id: str
    applications: int
    prefilled: int  # prefilled and accepted
    corrected: int  # prefilled and corrected
    typed: int

    @property
    def share_prefilled(self) -> float:
        total = self.prefilled + self.corrected + self.typed
        return self.prefilled / total if total else 0.0


def no_such_application() -> NotFound:
    return NotFound(
        N_("There is no such application."),
        hint=N_("See your applications for the ones you started."),
    )


# -- values ---------------------------------------------------------------------------

_IBAN = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")


def parse_value(kind: FieldType, text: str, choices: Sequence[Choice] = ()) -> str:
    """``text`` as typed, in the field's canonical form; ValueError with a message if not."""
    text = text.strip()
    if len(text) > MAX_TEXT:
        raise ValueError(N_("Use at most 200 characters."))
    if kind is FieldType.DATE:
        try:
            return dt.date.fromisoformat(text).isoformat()
        except ValueError:
            raise ValueError(N_("Enter a date like 2026-03-31.")) from None
    if kind is FieldType.INTEGER:
        if not text.isdigit():
            raise ValueError(N_("Enter a whole number, like 3."))
        return str(int(text))
    if kind is FieldType.MONEY:
        return str(_cents(text))
    if kind is FieldType.IBAN:
        return _iban(text)
    if kind is FieldType.CHILD and text not in {choice.value for choice in choices}:
        raise ValueError(N_("Choose one of your children."))
    return text


def display_value(kind: FieldType, value: str) -> str:
    """A canonical value as a person reads it (money in units with two decimals)."""
    if kind is FieldType.MONEY and value.lstrip("-").isdigit():
        cents = int(value)
        return f"{cents // 100}.{cents % 100:02d}"
    return value


def _cents(text: str) -> int:
    cleaned = text.replace(" ", "").replace(",", ".").lstrip("€")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(N_("Enter an amount like 650.00.")) from None
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise ValueError(N_("Enter an amount like 650.00."))
    return int(amount * 100)


def _iban(text: str) -> str:
    iban = text.replace(" ", "").upper()
    if not _IBAN.match(iban):
        raise ValueError(N_("Enter an IBAN like VD12 3456 7890 1234 5678 9012 3."))
    moved = iban[4:] + iban[:4]
    digits = "".join(str(int(char, 36)) for char in moved)
    if int(digits) % 97 != 1:
        raise ValueError(N_("This IBAN is not right: check each character."))
    return iban


def check_answers(
    form: Form, application: Application, submitted: Mapping[str, tuple[str, str]]
) -> tuple[Answer, ...]:
    """Every field's answer from the form sent: ``field id -> (check, value)``.

    ``check`` is ``correct`` or ``change`` for a prefilled field, empty for an asked one.
    Raises InvalidInput naming every field that is not right; nothing is kept then.
    """
    answers: list[Answer] = []
    errors: list[FieldError] = []
    for f in form.fields:
        check, text = submitted.get(f.id, ("", ""))
        fact = application.facts.get(f.id)
        if fact is not None and check != "change":
            answers.append(Answer(f.id, fact.value, Origin.PREFILLED, fact))
            continue
        if not text.strip():
            if fact is not None:
                errors.append(FieldError((f.id,), N_("Enter the right value, or say it is right.")))
            elif f.required:
                errors.append(FieldError((f.id,), N_("Enter this information.")))
            continue
        try:
            value = parse_value(f.type, text, application.choices.get(f.id, ()))
        except ValueError as problem:
            errors.append(FieldError((f.id,), str(problem)))
            continue
        if fact is not None and value == fact.value:
            answers.append(Answer(f.id, value, Origin.PREFILLED, fact))
        elif fact is not None:
            answers.append(Answer(f.id, value, Origin.CORRECTED, fact))
        else:
            answers.append(Answer(f.id, value, Origin.TYPED))
    if errors:
        raise InvalidInput(
            N_("Some answers need your attention."),
            hint=N_("Correct each answer listed, then send the application again."),
            errors=tuple(errors),
        )
    return tuple(answers)
