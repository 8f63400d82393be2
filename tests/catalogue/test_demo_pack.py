"""The demo country pack (Republic of Valdoria) keeps the promises the portal and
later issues rely on: its size, its named life events, and complete services."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from civitas.catalogue import Catalogue
from civitas.catalogue.domain import DeliveryMode, EventKind, OrganisationKind, Service

NAMED_EVENTS = {
    "having-a-child",
    "starting-school",
    "losing-a-job",
    "moving-home",
    "retiring",
    "death-of-a-relative",
    "travelling-abroad",
    "starting-a-business",
}


def test_the_demo_pack_has_at_least_30_services_and_8_organisations(
    demo_catalogue: Catalogue,
) -> None:
    assert len(demo_catalogue.services) >= 30
    assert len(demo_catalogue.organisations) >= 8


def test_the_demo_pack_has_at_least_8_life_events_including_the_named_ones(
    demo_catalogue: Catalogue,
) -> None:
    assert len(demo_catalogue.life_events()) >= 8
    assert NAMED_EVENTS - set(demo_catalogue.events) == set()


def test_starting_a_business_and_another_business_event_are_business_events(
    demo_catalogue: Catalogue,
) -> None:
    business = {event.id for event in demo_catalogue.business_events()}
    assert "starting-a-business" in business
    assert len(business) >= 2


def test_a_municipality_serves_its_own_area_next_to_national_agencies(
    demo_catalogue: Catalogue,
) -> None:
    organisations = demo_catalogue.organisations.values()
    municipalities = [o for o in organisations if o.kind is OrganisationKind.MUNICIPALITY]
    national = [o for o in organisations if o.kind is OrganisationKind.NATIONAL_AGENCY]
    assert municipalities
    assert len(national) >= 8
    country = demo_catalogue.country.spatial
    assert all(m.spatial.startswith(f"{country}-") for m in municipalities)


def test_every_service_has_legal_basis_proof_costs_channels_and_a_standard(
    demo_catalogue: Catalogue,
) -> None:
    incomplete = [
        service.id
        for service in demo_catalogue.services.values()
        if not (
            service.legal_basis
            and (service.evidence or service.requirements)
            and service.costs
            and len(service.channels) >= 2
            and service.outputs
            and service.standard.working_days >= service.processing_days
            and service.keywords
        )
    ]
    assert incomplete == []


def test_costs_are_exact_euro_amounts_to_the_cent(demo_catalogue: Catalogue) -> None:
    costs = [cost for service in demo_catalogue.services.values() for cost in service.costs]
    assert all(cost.currency == "EUR" for cost in costs)
    assert all(cost.amount >= 0 for cost in costs)
    assert all(cost.amount.as_tuple().exponent == -2 for cost in costs)
    assert demo_catalogue.service("passport").total_cost == Decimal("65.00")
    assert demo_catalogue.service("register-a-birth").is_free


def test_services_are_delivered_automatically_by_offer_or_on_request(
    demo_catalogue: Catalogue,
) -> None:
    assert demo_catalogue.service("birth-grant").delivery is DeliveryMode.AUTOMATIC
    assert demo_catalogue.service("child-benefit").delivery is DeliveryMode.PROACTIVE_OFFER
    assert demo_catalogue.service("passport").delivery is DeliveryMode.ON_REQUEST
    modes = Counter(service.delivery for service in demo_catalogue.services.values())
    assert all(modes[mode] >= 3 for mode in DeliveryMode)


def test_every_organisation_offers_at_least_one_service(demo_catalogue: Catalogue) -> None:
    idle = [o for o in demo_catalogue.organisations if not demo_catalogue.services_of(o)]
    assert idle == []


def test_every_service_belongs_to_at_least_one_journey(demo_catalogue: Catalogue) -> None:
    orphans = [s for s in demo_catalogue.services if not demo_catalogue.events_with(s)]
    assert orphans == []


def test_every_event_has_an_icon_keywords_and_a_time_for_each_step(
    demo_catalogue: Catalogue,
) -> None:
    for event in demo_catalogue.events.values():
        assert event.icon, event.id
        assert event.keywords, event.id
        assert event.steps, event.id
        assert all(step.when for step in event.steps), event.id
        if event.kind is EventKind.LIFE:
            assert len(event.steps) >= 2, event.id


def test_part_ids_are_unique_in_the_whole_pack_and_name_their_service(
    demo_catalogue: Catalogue,
) -> None:
    owners = [
        (part_id, service.id)
        for service in demo_catalogue.services.values()
        for part_id in _part_ids(service)
    ]
    repeated = [ident for ident, count in Counter(i for i, _ in owners).items() if count > 1]
    assert repeated == []
    assert all(part_id.startswith(f"{service_id}-") for part_id, service_id in owners)


def test_laws_point_at_the_legislation_site_and_every_law_is_cited(
    demo_catalogue: Catalogue,
) -> None:
    cited = {
        legal_id
        for service in demo_catalogue.services.values()
        for legal_id in (
            *service.legal_basis,
            *(law for rule in service.rules for law in rule.implements),
        )
    }
    laws = demo_catalogue.legal_resources.values()
    assert all(law.url.startswith("https://legislacao.gov.vd.example/") for law in laws)
    assert cited == set(demo_catalogue.legal_resources)


def test_every_evidence_item_is_asked_for_by_some_service(demo_catalogue: Catalogue) -> None:
    asked = {
        evidence_id
        for service in demo_catalogue.services.values()
        for evidence_id in (
            *service.evidence,
            *(e for requirement in service.requirements for e in requirement.evidence),
        )
    }
    assert asked == set(demo_catalogue.evidence)


def _part_ids(service: Service) -> list[str]:
    return [
        *(channel.id for channel in service.channels),
        *(cost.id for cost in service.costs),
        *(output.id for output in service.outputs),
        *(requirement.id for requirement in service.requirements),
        *(rule.id for rule in service.rules),
    ]
