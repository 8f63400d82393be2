"""registries.yaml is read into registry definitions, or every problem is named with its line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from civitas.catalogue import Catalogue
from civitas.config import DEMO_PACK
from civitas.registries import (
    ColumnType,
    IdentifierFormat,
    RegistriesInvalid,
    load_registry_definitions,
)

GOOD = """\
- id: tax
  name: {en: Tax register, pt: Registo fiscal}
  description: {en: People who pay tax., pt: Pessoas que pagam impostos.}
  organisation: tax-authority
  record_id: taxpayer_number
  id_format: prefixed
  id_prefix: TX
  national_id: national_id
  columns:
    - name: taxpayer_number
      type: text
      description: {en: Taxpayer number., pt: Número de contribuinte.}
    - name: national_id
      type: integer
      nullable: true
      description: {en: National number., pt: Número nacional.}
    - name: status
      type: code
      codes: [active, closed]
      description: {en: Whether the record is in use., pt: Se o registo está em uso.}
"""


def pack_with(tmp_path: Path, registries: str) -> Path:
    (tmp_path / "country.yaml").write_text("languages: [en, pt]\n", encoding="utf-8")
    (tmp_path / "registries.yaml").write_text(registries, encoding="utf-8")
    return tmp_path


def problems(tmp_path: Path, registries: str) -> list[str]:
    with pytest.raises(RegistriesInvalid) as caught:
        load_registry_definitions(pack_with(tmp_path, registries))
    return [f"{error.location()}: {error.message}" for error in caught.value.errors]


def test_the_demo_pack_registries_load_and_name_existing_organisations(
    demo_catalogue: Catalogue,
) -> None:
    definitions = load_registry_definitions(DEMO_PACK, organisations=demo_catalogue.organisations)
    assert len(definitions) == 8
    population = definitions[0]
    assert population.id_format is IdentifierFormat.NATIONAL
    assert population.column(population.national_id).type is ColumnType.INTEGER
    for definition in definitions:
        assert definition.column(definition.record_id).type is ColumnType.TEXT
        assert definition.organisation in demo_catalogue.organisations
        assert all(set(column.description) == {"en", "pt"} for column in definition.columns)


def test_a_well_formed_file_loads_with_the_pack_languages(tmp_path: Path) -> None:
    [tax] = load_registry_definitions(pack_with(tmp_path, GOOD))
    assert tax.column("status").codes == ("active", "closed")
    assert tax.column("national_id").nullable


def test_an_unknown_column_type_is_reported_with_its_line(tmp_path: Path) -> None:
    found = problems(tmp_path, GOOD.replace("type: integer", "type: number"))
    assert len(found) == 1
    assert found[0].startswith("registries.yaml:14: [0].columns[1].type")


def test_a_record_id_naming_no_column_is_reported(tmp_path: Path) -> None:
    found = problems(tmp_path, GOOD.replace("record_id: taxpayer_number", "record_id: tax_no"))
    assert found == [
        "registries.yaml:5: [0].record_id: 'tax_no' names no column of the registry 'tax'."
    ]


def test_a_national_id_column_of_the_wrong_type_is_reported(tmp_path: Path) -> None:
    found = problems(tmp_path, GOOD.replace("national_id: national_id", "national_id: status"))
    assert any("must be 'integer'" in problem for problem in found)


def test_duplicate_registry_ids_are_reported(tmp_path: Path) -> None:
    found = problems(tmp_path, GOOD + GOOD)
    assert any("'tax' is already used" in problem for problem in found)


def test_a_missing_translation_is_reported_for_the_pack_languages(tmp_path: Path) -> None:
    found = problems(tmp_path, GOOD.replace(", pt: Número nacional.", ""))
    assert found == [
        "registries.yaml:16: [0].columns[1].description: "
        "The 'pt' text is missing or empty; write it."
    ]


def test_languages_given_by_the_caller_are_used_instead_of_country_yaml(tmp_path: Path) -> None:
    pack = pack_with(tmp_path, GOOD)
    (pack / "country.yaml").unlink()
    [tax] = load_registry_definitions(pack, languages=("en", "pt"))
    assert tax.id == "tax"
    with pytest.raises(RegistriesInvalid):
        load_registry_definitions(pack, languages=("en", "pt", "fr"))


def test_an_unknown_organisation_is_reported_when_organisations_are_given(tmp_path: Path) -> None:
    with pytest.raises(RegistriesInvalid) as caught:
        load_registry_definitions(pack_with(tmp_path, GOOD), organisations={"civil-registry"})
    assert "'tax-authority' names no organisation" in caught.value.errors[0].message


def test_code_columns_need_codes_and_only_they_have_them(tmp_path: Path) -> None:
    found = problems(tmp_path, GOOD.replace("      codes: [active, closed]\n", ""))
    assert any("needs its list of allowed codes" in problem for problem in found)


def test_a_missing_file_is_reported(tmp_path: Path) -> None:
    shutil.copy(DEMO_PACK / "country.yaml", tmp_path / "country.yaml")
    with pytest.raises(RegistriesInvalid) as caught:
        load_registry_definitions(tmp_path)
    assert caught.value.errors[0].file == "registries.yaml"


RELATED = GOOD.replace(
    "  national_id: national_id\n",
    "  national_id: national_id\n  related_by: [partner_national_id]\n",
) + (
    "    - name: partner_national_id\n"
    "      type: integer\n"
    "      nullable: true\n"
    "      description: {en: National number of the partner., pt: Número nacional do cônjuge.}\n"
)


def test_related_by_columns_are_loaded_in_order(tmp_path: Path) -> None:
    [tax] = load_registry_definitions(pack_with(tmp_path, RELATED))
    assert tax.related_by == ("partner_national_id",)
    [population] = load_registry_definitions(DEMO_PACK)[:1]
    assert population.related_by == ("mother_national_id", "father_national_id")


@pytest.mark.parametrize(
    ("related_by", "expected"),
    [
        (
            "[partner_id]",
            "registries.yaml:9: [0].related_by[0]: "
            "'partner_id' names no column of the registry 'tax'.",
        ),
        (
            "[status]",
            "registries.yaml:9: [0].related_by[0]: The column 'status' must hold national ids, "
            "so its type must be 'integer', not 'code'.",
        ),
        (
            "[partner_national_id, partner_national_id]",
            "registries.yaml:9: [0].related_by[1]: "
            "'partner_national_id' is listed twice; list each column once.",
        ),
        (
            "[national_id]",
            "registries.yaml:9: [0].related_by[0]: 'national_id' holds the person's own "
            "national id, which look-ups of a person already use; list only columns naming "
            "other people, like 'mother_national_id'.",
        ),
    ],
)
def test_a_related_by_column_must_be_another_integer_column_listed_once(
    tmp_path: Path, related_by: str, expected: str
) -> None:
    text = RELATED.replace("related_by: [partner_national_id]", f"related_by: {related_by}")
    assert problems(tmp_path, text) == [expected]


def test_related_by_must_be_a_list_of_column_names(tmp_path: Path) -> None:
    text = RELATED.replace("related_by: [partner_national_id]", "related_by: {a: b}")
    assert problems(tmp_path, text) == [
        "registries.yaml:9: [0].related_by: Expected a list (lines starting with '- ')."
    ]
