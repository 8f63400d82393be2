"""One-time consent codes: short, unambiguous, stored only as a hash, expiring, single use."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civitas.core.errors import InvalidInput
from civitas.identity.consent_codes import (
    ALPHABET,
    LENGTH,
    LIFETIME,
    CodeState,
    ConsentCode,
    check_code_text,
    check_services,
    hash_code,
    new_code,
    normalise,
    spaced,
    unusable,
)

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
ANA = "100000010"


def a_code(text: str = "K7MQ4XRT", **changes: object) -> ConsentCode:
    code = ConsentCode(
        id="c1",
        holder=ANA,
        holder_name="Ana Costa",
        code_hash=hash_code(text),
        services=("child-benefit",),
        created_at=NOW,
        expires_at=NOW + LIFETIME,
    )
    return replace(code, **changes)  # type: ignore[arg-type]


def message_of(problem: InvalidInput | None) -> str:
    assert problem is not None
    [error] = problem.errors
    assert error.path == ("code",)
    return error.message


def test_a_new_code_has_eight_symbols_none_of_which_look_alike() -> None:
    codes = {new_code() for _ in range(200)}
    assert len(codes) == 200  # random enough never to repeat here
    for code in codes:
        assert len(code) == LENGTH
        assert set(code) <= set(ALPHABET)
    assert not set("0O1IL") & set(ALPHABET)


@given(st.text(alphabet=ALPHABET, min_size=LENGTH, max_size=LENGTH))
def test_case_spaces_and_hyphens_do_not_change_a_code(code: str) -> None:
    said = f" {spaced(code).lower()} "
    assert normalise(said) == code
    assert hash_code(said) == hash_code(code)
    assert check_code_text(said) == code


def test_only_a_hash_is_kept_and_it_does_not_contain_the_code() -> None:
    digest = hash_code("K7MQ4XRT")
    assert len(digest) == 64
    assert "K7MQ4XRT" not in digest.upper()
    assert digest != hash_code("K7MQ4XRU")


def test_text_that_cannot_be_a_code_is_refused_on_the_code_field() -> None:
    with pytest.raises(InvalidInput) as empty:
        check_code_text("  ")
    assert message_of(empty.value) == "Enter the code the person gives you."
    for wrong in ("K7MQ4XR", "K7MQ4XRTT", "K7MQ-4XR0"):
        with pytest.raises(InvalidInput) as refused:
            check_code_text(wrong)
        assert message_of(refused.value).startswith("A code has 8 letters and digits")


def test_a_code_is_usable_for_its_holder_until_it_expires() -> None:
    code = a_code()
    assert unusable(code, ANA, NOW) is None
    assert unusable(code, ANA, NOW + LIFETIME - dt.timedelta(seconds=1)) is None
    assert code.state_at(NOW + LIFETIME) is CodeState.EXPIRED
    assert "expired" in message_of(unusable(code, ANA, NOW + LIFETIME))


def test_a_used_cancelled_unknown_or_someone_elses_code_opens_nothing() -> None:
    used = a_code(state=CodeState.USED)
    assert "already been used" in message_of(unusable(used, ANA, NOW))
    cancelled = a_code(state=CodeState.CANCELLED)
    assert "cancelled" in message_of(unusable(cancelled, ANA, NOW))
    assert "does not match" in message_of(unusable(None, ANA, NOW))
    assert "does not match" in message_of(unusable(a_code(), "100000029", NOW))


def test_a_code_covers_services_from_the_list_or_none_for_a_look_up_only() -> None:
    known = frozenset({"child-benefit", "housing-allowance"})
    assert check_services([], known) == ()
    assert check_services(["child-benefit", "child-benefit"], known) == ("child-benefit",)
    with pytest.raises(InvalidInput) as refused:
        check_services(["passport"], known)
    assert [e.dotted_path for e in refused.value.errors] == ["services"]
