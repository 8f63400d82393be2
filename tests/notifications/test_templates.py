"""Message templates: the demo pack's load and read well in both languages; a broken
notifications.yaml is refused with the file, line and field of every problem."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from civitas.checks import run_checks
from civitas.config import DEMO_PACK, Settings
from civitas.core.errors import InvalidInput
from civitas.notifications import STANDARD, TemplatesInvalid, load_templates
from tests.notifications.support import BORN, CHILD_BENEFIT, load_demo_templates

VALID = """\
- id: {id}
  placeholders: [{placeholders}]
  subject:
    en: "About {{service}}"
    pt: "Sobre {{service}}"
  body:
    en: "{en_body}"
    pt: "{pt_body}"
"""


def pack_with(tmp_path: Path, notifications: str) -> Path:
    """A copy of the demo pack whose notifications.yaml is ``notifications``."""
    pack = tmp_path / "pack"
    shutil.copytree(DEMO_PACK, pack)
    (pack / "notifications.yaml").write_text(notifications, encoding="utf-8")
    return pack


def standard_templates() -> str:
    """Every template the platform sends, each using all its values, valid."""
    return "".join(
        VALID.format(
            id=template_id,
            placeholders=", ".join(given),
            en_body=" ".join(f"{{{name}}}" for name in given),
            pt_body=" ".join(f"{{{name}}}" for name in given),
        )
        for template_id, given in STANDARD.items()
    )


def problems(tmp_path: Path, notifications: str) -> list[str]:
    with pytest.raises(TemplatesInvalid) as refused:
        load_templates(pack_with(tmp_path, notifications))
    return [f"{e.location()}: {e.message}" for e in refused.value.errors]


def test_the_demo_pack_has_every_template_the_platform_sends() -> None:
    templates = load_demo_templates()
    assert set(STANDARD) <= set(templates.templates)
    assert templates.languages == ("en", "pt")


@pytest.mark.parametrize("template", sorted(STANDARD))
@pytest.mark.parametrize("language", ["en", "pt"])
def test_every_standard_template_fills_in_without_a_field_left(
    template: str, language: str
) -> None:
    params = {
        "name": "Ana Costa",
        "service": CHILD_BENEFIT,
        "amount_cents": 12050,
        "reason": BORN,
        "missing": {"en": "Carla's school.", "pt": "a escola da Carla."},
    }
    filled = load_demo_templates().fill(template, params, language)
    assert "{" not in filled.subject + filled.body + filled.action
    assert CHILD_BENEFIT[language] in filled.subject
    assert filled.body.startswith(("Dear Ana Costa,", "Caro(a) Ana Costa,"))
    assert len(filled.paragraphs) >= 3


def test_money_is_written_as_the_reader_writes_it() -> None:
    templates = load_demo_templates()
    params = {"name": "Ana", "service": "X", "amount_cents": 123450, "reason": "Y"}
    assert "€1,234.50" in templates.fill("offer-made", params, "en").body
    assert "1\u00a0234,50\u00a0€" in templates.fill("offer-made", params, "pt").body


def test_text_given_per_language_is_read_in_the_readers_language() -> None:
    params = {"name": "Ana", "service": CHILD_BENEFIT, "amount_cents": 100, "reason": BORN}
    filled = load_demo_templates().fill("benefit-granted", params, "pt")
    assert filled.subject == "Atribuímos-lhe: Abono de família"
    assert "Porque o recebe: A sua filha Carla nasceu." in filled.body


def test_an_empty_name_reads_the_templates_default_greeting() -> None:
    params = {"name": "", "service": "Child benefit", "amount_cents": 100, "reason": ""}
    filled = load_demo_templates().fill("benefit-granted", params, "en")
    assert filled.paragraphs[0] == "Dear Sir or Madam,"
    assert "Why you get it: you meet the conditions the law sets." in filled.body


def test_a_language_the_pack_lacks_reads_the_default_language() -> None:
    params = {"name": "Ana", "service": "X", "reason": "Y"}
    assert load_demo_templates().fill("service-suggested", params, "fr").language == "en"


def test_a_missing_value_or_template_cannot_be_filled() -> None:
    templates = load_demo_templates()
    with pytest.raises(InvalidInput) as missing:
        templates.fill("information-needed", {"name": "Ana"}, "en")
    assert [e.dotted_path for e in missing.value.errors] == ["params.service"]
    with pytest.raises(InvalidInput) as unknown:
        templates.fill("offer-mdae", {}, "en")
    assert [e.dotted_path for e in unknown.value.errors] == ["template"]


def test_a_valid_file_of_the_standard_templates_loads(tmp_path: Path) -> None:
    templates = load_templates(pack_with(tmp_path, standard_templates()))
    assert sorted(templates.templates) == sorted(STANDARD)


def test_a_pack_without_the_file_sends_no_notices(tmp_path: Path) -> None:
    pack = pack_with(tmp_path, "")
    (pack / "notifications.yaml").unlink()
    assert load_templates(pack).templates == {}


def test_an_unknown_placeholder_is_named_with_file_line_and_field(tmp_path: Path) -> None:
    broken = standard_templates().replace('pt: "Sobre {service}"', 'pt: "Sobre {servico}"', 1)
    assert problems(tmp_path, broken) == [
        "notifications.yaml:5: [0].subject.pt: Unknown placeholder {servico}: declare it "
        "under placeholders, or correct its spelling."
    ]


def test_a_missing_language_is_named_with_file_line_and_field(tmp_path: Path) -> None:
    lines = standard_templates().splitlines()
    del lines[7]  # the first template's body in Portuguese
    found = problems(tmp_path, "\n".join(lines) + "\n")
    assert found == ["notifications.yaml:6: [0].body.pt: Give the text in 'pt'."]


def test_a_language_the_pack_does_not_speak_is_refused(tmp_path: Path) -> None:
    broken = standard_templates().replace('    pt: "Sobre', '    fr: "Sur', 1)
    found = problems(tmp_path, broken)
    assert (
        "notifications.yaml:5: [0].subject.fr: 'fr' is not a language of the pack (en, pt)."
        in found
    )
    assert "notifications.yaml:3: [0].subject.pt: Give the text in 'pt'." in found


def test_a_missing_standard_template_and_an_unknown_value_are_named(tmp_path: Path) -> None:
    broken = standard_templates().replace("id: offer-made", "id: offer-mdae")
    broken = broken.replace(
        "placeholders: [name, service, reason]", "placeholders: [name, service, reason, amount]"
    )
    broken = broken.replace(
        'en: "{name} {service} {reason}"', 'en: "{name} {service} {reason} {amount}"'
    )
    broken = broken.replace(
        'pt: "{name} {service} {reason}"', 'pt: "{name} {service} {reason} {amount}"'
    )
    found = problems(tmp_path, broken)
    assert (
        "notifications.yaml:1: The template 'offer-made' is missing; the platform sends it "
        "with the values name, service, amount_cents, reason." in found
    )
    assert (
        "notifications.yaml:18: [2].placeholders[3]: Unknown placeholder 'amount': this notice "
        "gives only name, service, reason." in found
    )


def test_a_declared_placeholder_a_language_never_uses_is_refused(tmp_path: Path) -> None:
    broken = standard_templates().replace(
        'pt: "{name} {service} {amount_cents} {reason}"', 'pt: "{name} {service} {reason}"', 1
    )
    assert problems(tmp_path, broken) == [
        "notifications.yaml:8: [0].body.pt: The placeholder {amount_cents} is declared but "
        "the 'pt' text never uses it."
    ]


def test_twice_the_same_id_an_unknown_field_and_a_stray_brace_are_refused(tmp_path: Path) -> None:
    extra = VALID.format(
        id="offer-made", placeholders="service", en_body="{service} }", pt_body="{service}"
    )
    found = problems(tmp_path, standard_templates() + extra + "  colour: blue\n")
    assert found == [
        "notifications.yaml:41: [4].colour: Unknown field. Check its spelling against "
        "docs/reference/country-pack.md, or remove it."
    ]
    found = problems(tmp_path / "again", standard_templates() + extra)
    assert found == [
        "notifications.yaml:33: [4].id: The id 'offer-made' is used twice; keep one.",
        "notifications.yaml:39: [4].body.en: A brace opens or closes no placeholder; write {name}.",
    ]


def test_civitas_check_reports_a_broken_file_as_e011_with_each_problem(tmp_path: Path) -> None:
    broken = standard_templates().replace('pt: "Sobre {service}"', 'pt: "Sobre {servico}"', 1)
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, data_dir=tmp_path / "data", country_pack=pack_with(tmp_path, broken)
    )
    (found,) = [p for p in run_checks(settings) if p.id == "civitas.E011"]
    assert found.details == (
        "notifications.yaml:5: [0].subject.pt: Unknown placeholder {servico}: declare it under "
        "placeholders, or correct its spelling.",
    )
    assert "notifications.yaml" in found.hint
