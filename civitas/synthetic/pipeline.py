"""Generate a whole country folder: shape -> truth -> registries -> files."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from civitas.registries import FileEntry, Manifest, RegistryDefinition, load_registry_definitions
from civitas.synthetic.registers import identities_table, iter_copies
from civitas.synthetic.shape import load_shape
from civitas.synthetic.truth import GENERATOR_VERSION, IDENTITIES_SCHEMA, Truth, generate_truth
from civitas.synthetic.writer import Part, write_country

STAGES = ("Reading the country pack", "Drawing the people", "Writing the registries")
TRUTH_TABLES = ("persons", "households", "addresses", "entitlements")
IDENTITIES = "truth/identities.parquet"


@dataclass(frozen=True)
class Generated:
    manifest: Manifest
    folder: Path
    seconds: float


def generate_country(
    pack_dir: Path,
    people: int,
    seed: int,
    out: Path,
    on_stage: Callable[[str], None] = lambda stage: None,
    on_file: Callable[[str, FileEntry], None] = lambda name, entry: None,
) -> Generated:
    """Write the synthetic country of ``people`` people drawn with ``seed`` into ``out``.

    ``on_stage`` is called with each name in :data:`STAGES` as that stage starts, and
    ``on_file`` after each file is written.
    """
    started = time.perf_counter()
    on_stage(STAGES[0])
    shape = load_shape(pack_dir)
    definitions = load_registry_definitions(pack_dir)
    on_stage(STAGES[1])
    # Only the file generator holds the truth, so it is freed before the last file.
    files = country_files(generate_truth(shape, people, seed), definitions, seed)
    on_stage(STAGES[2])
    manifest = write_country(
        out,
        files,
        version=GENERATOR_VERSION,
        seed=seed,
        people=people,
        as_of=shape.start_date,
        on_file=on_file,
    )
    return Generated(manifest, out.resolve(), time.perf_counter() - started)


def country_files(
    truth: Truth, definitions: tuple[RegistryDefinition, ...], seed: int
) -> Iterator[tuple[str, pa.Table | Part]]:
    """Every file of the country, produced one at a time (relative path, table).

    The identities come in parts, one per registry, written as they come.
    """
    for name in TRUTH_TABLES:
        yield f"truth/{name}.parquet", getattr(truth, name)
    copies = iter_copies(truth, definitions, seed)
    del truth  # once written, the truth lives on only as the registries' compact copy
    for registry, table, identity in copies:
        yield IDENTITIES, Part(identity, schema=IDENTITIES_SCHEMA)
        del identity
        yield f"registries/{registry}.parquet", table
        del table
    yield IDENTITIES, Part(identities_table([]), last=True)
