"""forms.yaml: the demo pack's forms load; every problem is named with file, line and field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from civitas.applications import FORMS_FILE, FieldType, Forms, FormsInvalid, load_forms
from civitas.catalogue import load_catalogue
from civitas.config import DEMO_PACK
from civitas.exchange import load_exchange

APPLIED_FOR = ("housing-allowance", "child-benefit", "unemployment-benefit", "passport")
LANGUAGES = ("en", "pt")


def load(pack: Path = DEMO_PACK) -> Forms:
    return load_forms(pack, load_exchange(DEMO_PACK), APPLIED_FOR, LANGUAGES)


def problems(tmp_path: Path, text: str) -> list[tuple[str, int | None, str, str]]:
    (tmp_path / FORMS_FILE).write_text(text, encoding="utf-8")
    with pytest.raises(FormsInvalid) as raised:
        load(tmp_path)
    return [(e.file or "", e.line, e.dotted_path, e.message) for e in raised.value.errors]


FIELD = """common:
  - title: {en: About you, pt: Sobre si}
    fields:
      - id: first_name
        label: {en: First name, pt: Nome}
        type: text
        source: {service: civil-registry/population/person, item: first_name}
"""


def test_the_demo_forms_fill_in_from_the_registers_and_ask_the_rest() -> None:
    catalogue = load_catalogue(DEMO_PACK)
    forms = load_forms(
        DEMO_PACK, load_exchange(DEMO_PACK), set(catalogue.services), catalogue.country.languages
    )
    housing = forms.for_service("housing-allowance")
    assert [f.id for f in housing.fields if f.source is None] == ["household_size"]
    assert list(housing.sources) == [
        "civil-registry/population/person",
        "civil-registry/addresses/person",
    ]
    child = next(f for f in forms.for_service("child-benefit").fields if f.id == "child")
    assert child.type is FieldType.CHILD
    passport = forms.for_service("passport")  # no fields of its own: the common ones
    assert len(passport.fields) == len(forms.common[0].fields) + len(forms.common[1].fields)


def test_a_data_item_the_exchange_does_not_grant_for_prefilling_is_refused(
    tmp_path: Path,
) -> None:
    text = FIELD.replace("item: first_name", "item: death_date")
    assert problems(tmp_path, text) == [
        (
            "forms.yaml",
            7,
            "common[0].fields[0].source.item",
            "exchange.yaml does not let the portal receive 'death_date' from "
            "'civil-registry/population/person' for the purpose 'prefill-application'.",
        )
    ]


def test_a_register_service_without_a_right_for_prefilling_is_refused(tmp_path: Path) -> None:
    text = FIELD.replace("civil-registry/population/person", "health-service/health/person")
    assert problems(tmp_path, text)[0][2:] == (
        "common[0].fields[0].source.service",
        "exchange.yaml gives the portal no right to 'health-service/health/person' "
        "for the purpose 'prefill-application'.",
    )


def test_an_unknown_field_type_is_named_with_its_line(tmp_path: Path) -> None:
    [(file, line, path, _message)] = problems(tmp_path, FIELD.replace("type: text", "type: colour"))
    assert (file, line, path) == ("forms.yaml", 6, "common[0].fields[0].type")


def test_each_kind_of_problem_is_reported_on_its_own(tmp_path: Path) -> None:
    text = (
        FIELD.replace("pt: Nome}", "pt: ''}")
        + """services:
  sickness-benefit: []
  passport:
    - title: {en: More, pt: Mais}
      fields:
        - {id: first_name, label: {en: Again, pt: Outra vez}, type: text}
"""
    )
    assert [(line, path, message) for _f, line, path, message in problems(tmp_path, text)] == [
        (5, "common[0].fields[0].label.pt", "Give the text in 'pt'."),
        (
            9,
            "services.sickness-benefit",
            "'sickness-benefit' is no service of the catalogue that people apply for.",
        ),
        (13, "services.passport[0].fields[0].id", "The field 'first_name' is asked twice."),
    ]


def test_a_key_written_twice_is_named_with_its_line(tmp_path: Path) -> None:
    [(file, line, _path, message)] = problems(tmp_path, "common: []\ncommon: []\n")
    assert (file, line) == ("forms.yaml", 2)
    assert "appears twice" in message


def test_a_pack_without_forms_is_a_clear_problem(tmp_path: Path) -> None:
    shutil.rmtree(tmp_path)
    tmp_path.mkdir()
    with pytest.raises(FormsInvalid) as raised:
        load(tmp_path)
    assert raised.value.errors[0].file == "forms.yaml"
