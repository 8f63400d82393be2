from __future__ import annotations

from dataclasses import dataclass

from civitas.core.text import LocalTerms, LocalText, pick, walk_texts


@dataclass(frozen=True)
class Part:
    label: LocalText
    code: str


@dataclass(frozen=True)
class Whole:
    title: LocalText
    parts: tuple[Part, ...]
    note: LocalText | None = None
    tags: LocalTerms | None = None


def test_walk_finds_every_localised_text_with_its_path() -> None:
    whole = Whole(
        title={"en": "T"},
        parts=(Part({"en": "A"}, "a"), Part({"en": "B"}, "b")),
        note={"en": "N"},
        tags={"en": ("x",)},
    )
    found = dict(walk_texts(whole))
    assert set(found) == {
        ("title",),
        ("parts", 0, "label"),
        ("parts", 1, "label"),
        ("note",),
        ("tags",),
    }
    assert found[("parts", 1, "label")] == {"en": "B"}


def test_pick_falls_back_to_the_fallback_language_then_to_empty() -> None:
    assert pick({"en": "Hello", "pt": "Olá"}, "pt") == "Olá"
    assert pick({"en": "Hello"}, "pt") == "Hello"
    assert pick(None, "pt") == ""
