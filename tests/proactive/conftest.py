"""Shared fixtures of the proactive tests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from civitas.config import DEMO_PACK, Settings
from civitas.exchange.cli import exchange_app
from civitas.proactive.scan.run import Scanned
from civitas.registries import load_registry_definitions
from civitas.rules import Period, RuleBook, load_rules
from civitas.synthetic import generate_country
from civitas.synthetic.next_period import advance_country
from civitas.synthetic.shape import load_shape
from tests.applications.support import registry_nodes

WORKER_REGISTERS = ("population", "addresses", "tax", "social-security", "benefits", "education")
WORKER_PEOPLE = 4_000


@dataclass(frozen=True)
class LiveCountry:
    """A generated country one month on, its registry nodes running behind the exchange."""

    data_dir: Path
    nodes: dict[str, str]

    def settings(self, database: str) -> Settings:
        """Settings over these nodes, with a database of its own."""
        return Settings(  # type: ignore[call-arg]
            _env_file=None,
            data_dir=self.data_dir,
            database_url=f"sqlite:///{self.data_dir / database}",
            registry_urls=self.nodes,
        )


def moved_on_country(data_dir: Path, people: int, seed: int) -> None:
    """A country generated in ``data_dir/country`` and moved on a month (its change events
    are the worker's load), and the exchange's keys in ``data_dir``."""
    generate_country(DEMO_PACK, people, seed, data_dir / "country")
    advance_country(
        data_dir / "country",
        days=30,
        shape=load_shape(DEMO_PACK),
        definitions=load_registry_definitions(DEMO_PACK),
    )
    keys = CliRunner().invoke(
        exchange_app,
        ["keys", "--data-dir", str(data_dir)],
        env={"CIVITAS_COUNTRY_PACK": str(DEMO_PACK)},
    )
    assert keys.exit_code == 0, keys.output


@pytest.fixture(scope="session")
def worker_country(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveCountry]:
    data_dir = tmp_path_factory.mktemp("proactive-country")
    moved_on_country(data_dir, WORKER_PEOPLE, 7)
    with registry_nodes(data_dir, WORKER_REGISTERS) as nodes:
        yield LiveCountry(data_dir, nodes)


# ---------------------------------------------------------------- take-up scan (scan_*)

SCAN_PEOPLE = 8_000
SCAN_MONTH = "2026-01"


@dataclass(frozen=True)
class ScanWorld:
    """A small generated country, scanned once by the command for the whole session."""

    country: Path
    out: Path  # the command's files: report.html (English), takeup.*, gap.parquet, ...
    rules: RuleBook
    scanned: Scanned  # the same scan's findings, for the tests that need them whole


@pytest.fixture(scope="session")
def scan_world(tmp_path_factory: pytest.TempPathFactory) -> ScanWorld:
    from civitas.proactive.scan.command import scan_to_folder

    country = tmp_path_factory.mktemp("scan-country") / "country"
    generate_country(DEMO_PACK, SCAN_PEOPLE, 11, country)
    out = tmp_path_factory.mktemp("scan-out")
    settings = Settings(_env_file=None, data_dir=out)  # type: ignore[call-arg]
    scanned = scan_to_folder(settings, Period.parse(SCAN_MONTH), country, out, "en")
    return ScanWorld(country, out, load_rules(DEMO_PACK), scanned)
