"""Each provider's acr values map onto one internal scale of assurance."""

from __future__ import annotations

import pytest

from civitas.core.errors import InvalidInput
from civitas.identity import AssuranceMap, Level, assurance_map


def test_eidas_gov_br_and_nist_words_map_to_the_same_three_levels() -> None:
    assert assurance_map("eidas").level_of("http://eidas.europa.eu/LoA/substantial") is (
        Level.SUBSTANTIAL
    )
    assert assurance_map("govbr").level_of("urn:govbr:ouro") is Level.HIGH
    assert assurance_map("nist").level_of("urn:nist:800-63:ial1") is Level.LOW


def test_an_acr_the_provider_never_declared_counts_as_low_never_higher() -> None:
    eidas = assurance_map("eidas")
    assert eidas.level_of("urn:something:platinum") is Level.LOW
    assert eidas.level_of(None) is Level.LOW


def test_a_provider_may_declare_its_own_words() -> None:
    own = assurance_map({"pin": "substantial", "card": "high"})
    assert own.level_of("card") is Level.HIGH
    assert own.asking_for(Level.SUBSTANTIAL) == ["pin", "card"]


def test_asking_for_a_level_names_every_acr_at_least_that_sure_weakest_first() -> None:
    eidas = assurance_map("eidas")
    assert eidas.asking_for(Level.SUBSTANTIAL) == [
        "http://eidas.europa.eu/LoA/substantial",
        "http://eidas.europa.eu/LoA/high",
    ]
    assert AssuranceMap({}).asking_for(Level.LOW) == []


def test_an_unknown_vocabulary_or_level_is_a_clear_error() -> None:
    with pytest.raises(InvalidInput, match="no assurance vocabulary called 'eidos'"):
        assurance_map("eidos")
    with pytest.raises(InvalidInput, match="no level of assurance called 'gold'"):
        assurance_map({"x": "gold"})
