from __future__ import annotations

import io

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from civitas.synthetic.noise import _typo, with_typos


def test_a_typo_that_spells_another_name_does_not_duplicate_the_dictionary() -> None:
    # The list holds each name's own typo variant, so every variant collides.
    originals = ["Mariana", "Joaquim", "Beatriz"]
    spelled = [*originals, *(_typo(name, "salt") for name in originals)]
    names = pa.array(spelled * 200, type=pa.string())
    flagged = np.ones(len(names), dtype=bool)
    mistyped = with_typos(names, flagged, "salt")
    values = mistyped.dictionary.to_pylist()
    assert len(values) == len(set(values))
    assert mistyped.cast(pa.string()).to_pylist() != names.to_pylist()


def test_mistyped_names_write_the_same_bytes_every_time() -> None:
    names = pa.array([f"Name{i % 37}" for i in range(5000)], type=pa.string())
    flagged = np.arange(len(names)) % 7 == 0
    table = pa.table({"name": with_typos(names, flagged, "salt")})

    def written() -> bytes:
        buffer = io.BytesIO()
        pq.write_table(table, buffer, compression="zstd")
        return buffer.getvalue()

    assert len({written() for _ in range(4)}) == 1
