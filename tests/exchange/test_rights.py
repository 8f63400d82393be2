"""Access rights: a client gets a service's data only for a purpose a right names, and
only the columns it lists, under the purpose's legal basis."""

from __future__ import annotations

from datetime import date

import pytest

from civitas.config import DEMO_PACK
from civitas.core.errors import CivitasError
from civitas.exchange import BadCall, CallRefused, Code, load_exchange
from civitas.exchange.addresses import parse_service_path
from civitas.exchange.rights import decide

SETUP = load_exchange(DEMO_PACK)
PORTAL = SETUP.subsystem("civil-registry", "portal")
BENEFITS = SETUP.subsystem("social-security", "benefits")
TAX_PERSON = parse_service_path("/r1/VLD/GOV/tax-authority/tax/person/123456789")
HEALTH_PERSON = parse_service_path("/r1/VLD/GOV/health-service/health/person/123456789")
LAW_7 = "https://legislacao.gov.vd.example/once-only-data-sharing-act-2022#article-7"
LAW_5 = "https://legislacao.gov.vd.example/once-only-data-sharing-act-2022#article-5"
FRAUD = "https://legislacao.gov.vd.example/family-benefits-act-2018#article-40"


def refused(*args: object) -> CivitasError:
    with pytest.raises(CivitasError) as raised:
        decide(SETUP, *args)  # type: ignore[arg-type]
    return raised.value


def test_a_right_gives_the_columns_it_lists_for_its_purpose() -> None:
    assert PORTAL is not None
    purpose, right = decide(SETUP, PORTAL, TAX_PERSON, "prefill-application", LAW_5)
    assert purpose.label["en"] == "Fill in your application with data the state already holds"
    assert right.columns == {"national_id", "income_source", "annual_income_cents"}
    _purpose, everything = decide(SETUP, PORTAL, TAX_PERSON, "own-data", LAW_7)
    assert everything.columns is None


def test_a_purpose_the_client_has_no_right_for_is_forbidden_and_the_allowed_ones_named() -> None:
    error = refused(PORTAL, TAX_PERSON, "fraud-investigation", FRAUD)
    assert isinstance(error, CallRefused)
    assert error.status == 403
    assert error.code == Code.ACCESS_DENIED
    assert error.render() == (
        "civil-registry/portal may not call tax-authority/tax/person for the purpose "
        "'fraud-investigation'.",
        "Its access rights allow only these purposes: own-data, prefill-application.",
    )


def test_a_client_without_any_right_to_the_service_is_told_whom_to_ask() -> None:
    error = refused(BENEFITS, HEALTH_PERSON, "benefit-eligibility", FRAUD)
    assert (
        error.render()[0]
        == "social-security/benefits has no access right to health-service/health/person."
    )


def test_an_unknown_purpose_is_bad_input_naming_the_header() -> None:
    error = refused(PORTAL, TAX_PERSON, "curiosity", LAW_7)
    assert isinstance(error, BadCall)
    assert error.code == Code.UNKNOWN_PURPOSE
    assert error.errors[0].dotted_path == "headers.X-Civitas-Purpose"


def test_the_legal_basis_must_be_the_purposes() -> None:
    error = refused(PORTAL, TAX_PERSON, "own-data", LAW_5)
    assert isinstance(error, BadCall)
    assert error.code == Code.WRONG_LEGAL_BASIS
    assert error.render()[1] == f"Send X-Civitas-Legal-Basis: {LAW_7}"


def test_a_purpose_resting_on_consent_needs_a_consent_reference() -> None:
    education = SETUP.subsystem("education-ministry", "education")
    assert education is not None
    _purpose, right = decide(SETUP, education, HEALTH_PERSON, "school-health-check", "consent:c-77")
    assert right.columns == {"national_id", "vaccinated"}
    error = refused(education, HEALTH_PERSON, "school-health-check", "consent:")
    assert error.code == Code.WRONG_LEGAL_BASIS  # type: ignore[attr-defined]


def test_only_rights_that_say_so_may_hide_a_use_from_the_person() -> None:
    assert BENEFITS is not None
    later = date(2025, 9, 1)
    _purpose, right = decide(SETUP, BENEFITS, TAX_PERSON, "fraud-investigation", FRAUD, later)
    assert right.may_hide
    eligibility = "https://legislacao.gov.vd.example/family-benefits-act-2018#article-12"
    error = refused(BENEFITS, TAX_PERSON, "benefit-eligibility", eligibility, later)
    assert error.status == 403
    assert "may not hide" in error.render()[0]
