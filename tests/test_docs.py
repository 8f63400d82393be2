"""The documentation stays true to the code: generated pages, first commands, links."""

from __future__ import annotations

import ast
import itertools
import re
import shutil
import tomllib
from pathlib import Path

import pytest
import typer
from fastapi.testclient import TestClient

from civitas import checks, cli, docs
from civitas.config import DEMO_PACK

ROOT = Path(__file__).resolve().parent.parent
TUTORIAL = ROOT / "docs" / "tutorial" / "first-country-pack-change.md"
MARKDOWN = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").rglob("*.md"))]

_FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
_LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*$", re.MULTILINE)


def _prose(text: str) -> str:
    """The text without fenced code blocks, where link-like text is not a link."""
    return _FENCE.sub("", text)


def _anchor(heading: str) -> str:
    """GitHub's anchor for a heading: lowercase, punctuation dropped, spaces to hyphens."""
    plain = re.sub(r"[^\w\- ]", "", heading.replace("`", "").strip().lower())
    return plain.replace(" ", "-")


def _shell_commands(text: str) -> list[str]:
    """Commands in ``sh`` code blocks, in order, without comments or blank lines."""
    commands = []
    for language, body in _FENCE.findall(text):
        if language not in ("sh", "shell", "bash", "console"):
            continue
        for line in body.splitlines():
            line = line.strip().removeprefix("$ ")
            if line and not line.startswith("#"):
                commands.append(line)
    return commands


def test_generated_reference_pages_match_the_code() -> None:
    stale = docs.out_of_date(ROOT / "docs")
    assert not stale, f"Out of date: {stale}. Run `make docs` and commit the pages."


def test_check_mode_exits_1_until_the_pages_are_written(tmp_path: Path) -> None:
    assert docs.main(["--check", "--docs-dir", str(tmp_path)]) == 1
    assert docs.main(["--docs-dir", str(tmp_path)]) == 0
    assert docs.main(["--check", "--docs-dir", str(tmp_path)]) == 0
    assert (tmp_path / "reference" / "settings.md").is_file()


def test_readme_first_two_commands_are_make_run_then_make_test() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert _shell_commands(readme)[:2] == ["make run", "make test"]


@pytest.mark.parametrize("page", MARKDOWN, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_points_to_an_existing_file(page: Path) -> None:
    broken = []
    for target in _LINK.findall(_prose(page.read_text(encoding="utf-8"))):
        if re.match(r"^[a-z]+:", target):  # https:, mailto: ...
            continue
        path_part, _, fragment = target.partition("#")
        linked = (page.parent / path_part).resolve() if path_part else page
        if not linked.exists():
            broken.append(f"{target} (no such file)")
        elif fragment and linked.suffix == ".md":
            headings = _HEADING.findall(_prose(linked.read_text(encoding="utf-8")))
            if fragment not in {_anchor(h) for h in headings}:
                broken.append(f"{target} (no heading '#{fragment}')")
    assert not broken, f"{page.relative_to(ROOT)} links to: {broken}"


def test_every_civitas_command_the_docs_show_exists() -> None:
    root = typer.main.get_command(cli.app)
    unknown = []
    for page in MARKDOWN:
        for command in _shell_commands(page.read_text(encoding="utf-8")):
            words = command.split()
            while words and "=" in words[0]:  # CIVITAS_PORT=8080 civitas serve
                words.pop(0)
            if not words or Path(words[0]).name != "civitas":
                continue
            group = root
            for word in words[1:]:
                if word.startswith("-") or not hasattr(group, "commands"):
                    break
                if word not in group.commands:
                    unknown.append(f"{page.relative_to(ROOT)}: {command}")
                    break
                group = group.commands[word]
    assert not unknown


def test_every_check_id_raised_in_the_code_is_documented() -> None:
    tree = ast.parse(Path(checks.__file__).read_text(encoding="utf-8"))
    raised = {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", None) == "Problem"
        and isinstance(node.args[0], ast.Constant)
    }
    assert raised == set(checks.CHECK_IDS)


def test_every_pack_file_in_the_reference_exists_in_the_demo_pack() -> None:
    documented = {pack_file.name for pack_file in docs.PACK_FILES}
    folders = {"services": "services/*.yaml", "parameters": "parameters/**/*.yaml"}
    present = {
        folders.get(path.relative_to(DEMO_PACK).parts[0], path.relative_to(DEMO_PACK).as_posix())
        for path in DEMO_PACK.rglob("*.yaml")
        if not path.relative_to(DEMO_PACK).as_posix().startswith("rules/tests/")
    }  # rule tests are described in reference/rules.md
    assert documented == present


def test_the_documented_json_error_is_what_the_api_answers(client: TestClient) -> None:
    response = client.get(docs.JSON_ERROR_REQUEST)
    assert response.status_code == docs.JSON_ERROR_EXAMPLE["status"]
    assert response.json() == docs.JSON_ERROR_EXAMPLE


# ---------------------------------------------------------------- the tutorial's output


def _blocks(language: str) -> list[str]:
    text = TUTORIAL.read_text(encoding="utf-8")
    return [body for lang, body in _FENCE.findall(text) if lang == language]


def _shown_after(start: str) -> list[str]:
    """The ``text`` blocks of the tutorial that begin with ``start``, as the reader sees them."""
    return [block.strip() for block in _blocks("text") if block.startswith(start)]


def _civitas(
    args: list[str], pack: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    """Run a ``civitas`` command in-process on ``pack``, as the tutorial's reader does."""
    monkeypatch.chdir(pack.parent)
    monkeypatch.setenv("CIVITAS_COUNTRY_PACK", pack.name)
    monkeypatch.setenv("CIVITAS_DATA_DIR", str(pack.parent / "var"))
    capsys.readouterr()
    with pytest.raises(SystemExit) as exited:
        cli.main(args)
    captured = capsys.readouterr()
    return int(exited.value.code or 0), captured.out, captured.err


@pytest.fixture
def pack_with_the_new_service(tmp_path: Path) -> Path:
    """The demo pack with the tutorial's service file, typo included (step 3)."""
    pack = tmp_path / "my-pack"
    shutil.copytree(DEMO_PACK, pack)
    (pack / "services" / "library.yaml").write_text(_blocks("yaml")[0], encoding="utf-8")
    return pack


def _fix_the_typo(pack: Path) -> Path:
    service = pack / "services" / "library.yaml"
    text = service.read_text(encoding="utf-8")
    service.write_text(text.replace("porto-alta", "porto-alto"), encoding="utf-8")
    return service


def test_tutorial_shows_the_error_the_misspelt_organisation_gives(
    pack_with_the_new_service: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, _, err = _civitas(
        ["catalogue", "validate"], pack_with_the_new_service, monkeypatch, capsys
    )
    assert status == 1
    assert err.strip() == _shown_after("Error: The country pack")[0]


def test_tutorial_shows_the_error_a_misspelt_field_gives(
    pack_with_the_new_service: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    service = _fix_the_typo(pack_with_the_new_service)
    text = service.read_text(encoding="utf-8")
    service.write_text(text.replace("\n  description:", "\n  descripton:", 1), encoding="utf-8")
    status, _, err = _civitas(
        ["catalogue", "validate"], pack_with_the_new_service, monkeypatch, capsys
    )
    assert status == 1
    assert err.strip() == _shown_after("Error: The country pack")[1]


def test_tutorial_pack_is_valid_once_the_typo_is_fixed(
    pack_with_the_new_service: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _fix_the_typo(pack_with_the_new_service)
    status, out, _ = _civitas(
        ["catalogue", "validate"], pack_with_the_new_service, monkeypatch, capsys
    )
    assert status == 0

    def shape(line: str) -> str:  # the demo pack grows, so counts may differ
        return re.sub(r"\d+", "N", line.strip())

    assert {shape(block) for block in _shown_after("The pack is valid")} == {shape(out)}


def test_tutorial_shows_what_the_lint_says_about_official_wording(
    pack_with_the_new_service: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    service = _fix_the_typo(pack_with_the_new_service)
    lines = service.read_text(encoding="utf-8").splitlines(keepends=True)
    first_description = lines.index("  description:\n")
    lines[first_description + 1] = _blocks("yaml")[2]
    service.write_text("".join(lines), encoding="utf-8")
    status, out, _ = _civitas(["catalogue", "lint"], pack_with_the_new_service, monkeypatch, capsys)
    assert status == 1
    shown = _shown_after("services[baby-library-card]")[0]
    start = out.index("services[baby-library-card]")
    end = out.find("\n\n", start)
    assert out[start : end if end != -1 else None].strip() == shown


def test_architecture_page_draws_the_layers_of_the_dag_contract_in_order() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    dag = config["tool"]["importlinter"]["contracts"][0]
    page = (ROOT / "docs" / "explanation" / "architecture.md").read_text(encoding="utf-8")
    drawing = next(body for lang, body in _FENCE.findall(page) if lang == "text")
    words = re.findall(r"civitas(?:\.\w+)?", drawing)
    drawn = [name for name in words if name != "civitas"]
    layers = [sorted(part.strip() for part in re.split(r"[|:]", layer)) for layer in dag["layers"]]
    assert [sorted(set(drawn) & set(layer)) for layer in layers] == layers
    spans = [[drawn.index(name) for name in layer] for layer in layers]
    assert all(max(upper) < min(lower) for upper, lower in itertools.pairwise(spans))
    assert set(drawn) == {name for layer in layers for name in layer}
