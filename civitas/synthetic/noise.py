"""Deterministic randomness keyed by person: hashes, keyed permutations, typos.

Registry noise must stay the same for a person from one period to the next, so
it is never drawn from a random stream in row order: every draw is a hash of
(seed, registry, purpose, person id). SplitMix64's finaliser makes that hash
vectorised and well mixed; a small Feistel network over it turns a person id into
an agency's record number, a keyed permutation nobody can invert without the seed.
"""

from __future__ import annotations

import hashlib

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from civitas.registries import SMALLEST_BODY

U64 = npt.NDArray[np.uint64]
Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]

BODY_COUNT = 90_000_000  # eight-digit bodies: 10_000_000 .. 99_999_999
_LOW_BITS, _HIGH_BITS = 14, 13  # the Feistel network permutes 27-bit numbers (2**27 > BODY_COUNT)
_LOW_MASK = np.uint64((1 << _LOW_BITS) - 1)
_HIGH_MASK = np.uint64((1 << _HIGH_BITS) - 1)
_ROUNDS = 3
_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)
_TRIPLES = np.frombuffer("".join(f"{n:03d}" for n in range(1000)).encode(), np.uint8).reshape(-1, 3)


def key_of(seed: int, *parts: str) -> np.uint64:
    """A 64-bit key for one use of randomness, e.g. ``key_of(1, "tax", "typo")``."""
    text = "|".join([str(seed), *parts]).encode()
    return np.uint64(int.from_bytes(hashlib.blake2b(text, digest_size=8).digest(), "little"))


def mix(values: U64) -> U64:
    """SplitMix64's finaliser: every input bit changes about half the output bits."""
    x = values + np.uint64(0x9E3779B97F4A7C15)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def hashed(ids: Ints, key: np.uint64) -> U64:
    return mix(ids.astype(np.uint64) ^ key)


def uniform(ids: Ints, key: np.uint64) -> Floats:
    """A number in [0, 1) per id, the same every time for the same id and key."""
    return (hashed(ids, key) >> np.uint64(11)).astype(np.float64) * (1.0 / (1 << 53))


def permuted_bodies(numbers: Ints, key: np.uint64) -> Ints:
    """Distinct eight-digit bodies for distinct ``numbers`` in [0, BODY_COUNT).

    A Feistel network is a permutation of 27-bit numbers; walking the cycle until the
    result falls inside the body range keeps it a permutation of that range.
    """
    if numbers.size and (numbers.min() < 0 or numbers.max() >= BODY_COUNT):
        raise ValueError("Record numbers must lie in [0, 90 000 000).")
    round_keys = [mix(np.array([key + np.uint64(r)], dtype=np.uint64))[0] for r in range(_ROUNDS)]
    result = _feistel(numbers.astype(np.uint64), round_keys)
    outside = np.flatnonzero(result >= BODY_COUNT)
    while outside.size:
        result[outside] = _feistel(result[outside], round_keys)
        outside = outside[result[outside] >= BODY_COUNT]
    return result.astype(np.int64) + SMALLEST_BODY


def _feistel(values: U64, round_keys: list[np.uint64]) -> U64:
    """Unbalanced Feistel rounds: each half in turn is xored with a hash of the other.

    The round function is a multiply-shift hash, cheap on whole arrays; each step is
    invertible on its own, so the whole is a permutation whatever the function.
    """
    high = values >> np.uint64(_LOW_BITS)
    low = values & _LOW_MASK
    for round_key in round_keys:
        high ^= (((low ^ round_key) * _MULTIPLIER) >> np.uint64(40)) & _HIGH_MASK
        low ^= (((high ^ round_key) * _MULTIPLIER) >> np.uint64(37)) & _LOW_MASK
    return (high << np.uint64(_LOW_BITS)) | low


def formatted_ids(numbers: Ints, prefix: str = "") -> pa.StringArray:
    """Nine-digit numbers written as ``TX-123456789`` (or ``123456789``), built as one buffer."""
    head = f"{prefix}-".encode() if prefix else b""
    width = len(head) + 9
    matrix = np.empty((len(numbers), width), dtype=np.uint8)
    if head:
        matrix[:, : len(head)] = np.frombuffer(head, dtype=np.uint8)
    # Three digits at a time through a table of "000" .. "999": three divisions, not nine.
    rest = numbers.astype(np.int64)
    start = len(head)
    matrix[:, start : start + 3] = _TRIPLES[rest // 1_000_000]
    matrix[:, start + 3 : start + 6] = _TRIPLES[rest // 1_000 % 1_000]
    matrix[:, start + 6 : start + 9] = _TRIPLES[rest % 1_000]
    offsets = np.arange(len(numbers) + 1, dtype=np.int32) * width
    return pa.StringArray.from_buffers(
        len(numbers), pa.py_buffer(offsets), pa.py_buffer(matrix.tobytes())
    )


def with_typos(names: pa.Array | pa.ChunkedArray, flagged: Bools, salt: str) -> pa.DictionaryArray:
    """``names`` with one letter mistyped where ``flagged``: swapped, dropped or replaced.

    Work happens once per distinct name (the dictionary), then rows are re-pointed, so
    a million rows cost a dictionary of a few thousand names and one index update.
    """
    if isinstance(names, pa.ChunkedArray):
        names = names.combine_chunks()
    encoded = names if pa.types.is_dictionary(names.type) else pc.dictionary_encode(names)
    dictionary = encoded.dictionary.cast(pa.string()).to_pylist()
    variants = [_typo(name, salt) for name in dictionary]
    valid = np.asarray(encoded.indices.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    filled = pc.fill_null(encoded.indices, 0).cast(pa.int64())
    indices = np.asarray(filled.to_numpy(zero_copy_only=False), dtype=np.int64)
    indices = np.where(flagged & valid, indices + len(dictionary), indices)
    # A typo can spell another real name: keep each spelling once, because Parquet does
    # not write a dictionary holding duplicates the same way twice.
    spellings = pc.dictionary_encode(pa.array(dictionary + variants, type=pa.string()))
    unique_position = np.asarray(
        pc.fill_null(spellings.indices, 0).to_numpy(zero_copy_only=False), dtype=np.int64
    )
    return pa.DictionaryArray.from_arrays(
        pa.array(unique_position[indices], type=pa.int32(), mask=~valid),
        spellings.dictionary,
    )


def _typo(name: str | None, salt: str) -> str | None:
    if not name or len(name) < 3:
        return name
    draw = int.from_bytes(hashlib.blake2b(f"{salt}|{name}".encode(), digest_size=8).digest())
    at = 1 + draw % (len(name) - 2)  # never the first letter: people notice that one
    kind = (draw >> 20) % 3
    if kind == 0 and name[at] != name[at + 1]:
        return name[:at] + name[at + 1] + name[at] + name[at + 2 :]
    if kind == 1:
        return name[:at] + name[at + 1 :]
    letters = "aeioulnrst"
    replacement = letters[(draw >> 8) % len(letters)]
    if replacement == name[at].lower():
        replacement = letters[((draw >> 8) + 1) % len(letters)]
    return name[:at] + replacement + name[at + 1 :]
