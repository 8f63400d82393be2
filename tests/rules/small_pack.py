"""A small rule pack written into a temporary folder, for tests of the rule language."""

from __future__ import annotations

import textwrap
from pathlib import Path

ENTITIES = """\
person:
  label: {en: Person, pt: Pessoa}
groups:
  household:
    label: {en: Household, pt: Agregado familiar}
    roles:
      adult: {label: {en: Adult, pt: Adulto}}
      child: {label: {en: Child, pt: Criança}}
"""

PARAMETERS = """\
amount:
  label: {en: Grant per child, pt: Subsídio por criança}
  type: amount
  unit: EUR
  reference: {url: https://law.example.org/grants}
  values:
    - since: 2020-01-01
      value: 100.00
    - since: 2026-01-01
      value: 120.00
rate:
  label: {en: Share, pt: Parte}
  type: rate
  reference: {url: https://law.example.org/grants}
  values:
    - since: 2020-01-01
      value: 0.5
age_limit:
  label: {en: Age limit, pt: Idade limite}
  type: integer
  reference: {url: https://law.example.org/grants}
  values:
    - since: 2020-01-01
      value: 18
tiers:
  label: {en: Tiers, pt: Escalões}
  scale: single_amount
  unit: EUR
  reference: {url: https://law.example.org/grants}
  values:
    - since: 2020-01-01
      brackets:
        - {threshold: 0, amount: 50.00}
        - {threshold: 10000.00, amount: 20.00}
        - {threshold: 20000.00, amount: 0}
"""

HEADER = """\
from decimal import Decimal

from civitas.rules import (
    BOOL, DATE, INTEGER, MONEY, RATE, age_on, days_between, enumeration, from_group,
    maximum, members, minimum, money, months_between, one_of, p, period_end, period_start,
    rounded, select, v, variable, where, years_between,
)

LAW = "https://law.example.org/grants"


def person(name, type, period="month", **more):
    return variable(name, entity="person", type=type, period=period,
                    label={"en": name, "pt": name}, reference=LAW, **more)


def household(name, type, period="month", **more):
    return variable(name, entity="household", type=type, period=period,
                    label={"en": name, "pt": name}, reference=LAW, **more)
"""


def write_pack(folder: Path, rules: str, parameters: str = PARAMETERS) -> Path:
    """A pack in ``folder`` whose ``rules/main.py`` holds ``rules`` after a common header."""
    pack = folder / "pack"
    (pack / "rules").mkdir(parents=True, exist_ok=True)
    (pack / "parameters").mkdir(exist_ok=True)
    (pack / "country.yaml").write_text("languages: [en, pt]\n", encoding="utf-8")
    (pack / "rules" / "entities.yaml").write_text(ENTITIES, encoding="utf-8")
    (pack / "parameters" / "grant.yaml").write_text(parameters, encoding="utf-8")
    body = HEADER + "\n" + textwrap.dedent(rules)
    (pack / "rules" / "main.py").write_text(body, encoding="utf-8")
    return pack


def line_of(pack: Path, text: str) -> int:
    """The line of ``rules/main.py`` holding ``text``."""
    lines = (pack / "rules" / "main.py").read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)
