"""The composition root: the only place that builds and wires the blocks."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import httpx2
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine

from civitas import __version__
from civitas.applications import FORMS_FILE, PURPOSE, Applications, load_forms
from civitas.applications.api import applications_api_router
from civitas.applications.registers import ExchangeRegisters
from civitas.applications.store import SqlApplicationStore
from civitas.applications.web import applications_router
from civitas.blocks import template_dirs
from civitas.catalogue import Catalogue, CatalogueSearch, load_catalogue, search_index_for
from civitas.catalogue.api import api_router, without_default_validation_response
from civitas.catalogue.domain import AssuranceLevel, DeliveryMode
from civitas.catalogue.web import pages_router
from civitas.config import Settings
from civitas.consents import Consents
from civitas.consents.api import consents_api_router
from civitas.consents.family import ParentsAndChildren
from civitas.consents.registers import ExchangeConsentServices, consent_registers
from civitas.consents.web import consents_router
from civitas.core.clock import Clock, SystemClock
from civitas.core.i18n import load_translators
from civitas.db import create_engine_for, migrate
from civitas.deliveries import Courier, SqlDeliveryStore
from civitas.deliveries.agencies import ExchangeAgencies
from civitas.identity import ActingOnline, Identity, Level, SessionRules, assurance_map
from civitas.identity.api import identity_api_router
from civitas.identity.console import ConsentCodes, Console, ExchangeNames
from civitas.identity.console_pages import console_router
from civitas.identity.data_use import DataUse, Register
from civitas.identity.data_use_pages import data_use_router
from civitas.identity.mandate_pages import mandates_router
from civitas.identity.relations import ExchangeRelations
from civitas.identity.relying_party import OpenIdProvider
from civitas.identity.representation import Mandates
from civitas.identity.store import (
    SqlConsentCodeStore,
    SqlMandateStore,
    SqlPendingStore,
    SqlServingStore,
    SqlSessionStore,
    SqlStaffStore,
)
from civitas.identity.web import CALLBACK_PATH, install_identity
from civitas.notifications import Dispatcher, Notifications, SqlNotificationStore, load_templates
from civitas.notifications.api import notifications_api_router
from civitas.notifications.documents import Documents, Letterhead
from civitas.notifications.letters import PdfLetters
from civitas.notifications.mail import SmtpSender, SmtpSettings, default_sender
from civitas.notifications.ports import Sender
from civitas.notifications.web import notifications_router
from civitas.portal_exchange import PortalExchange
from civitas.proactive.api import decisions_api_router
from civitas.proactive.feeds import PURPOSE as PROACTIVE_PURPOSE
from civitas.proactive.offers import Offers
from civitas.proactive.pack import PROACTIVE_FILE, load_proactive
from civitas.proactive.store import SqlDecisionStore
from civitas.proactive.web import inbox_router, waiting_counter
from civitas.registries import RegistryDefinition
from civitas.rules import RULES_FOLDER, RuleBook, load_rules
from civitas.rules.api import rules_api_router
from civitas.rules.web import SCREENER_PATH, screener_router
from civitas.tell_us_once.addresses import ExchangeAddressRegister
from civitas.tell_us_once.api import tell_us_once_api_router
from civitas.tell_us_once.domain import SERVICE_ID as TELL_US_ONCE_SERVICE
from civitas.tell_us_once.services import TellUsOnce, recipients
from civitas.tell_us_once.store import SqlChangeStore
from civitas.tell_us_once.web import tell_us_once_router
from civitas.web import BodySizeLimit, Renderer, Site, install_error_handlers, refuse_too_large
from civitas.web.csrf import CsrfProtection
from civitas.web.errors import refuse_forged_form
from civitas.web.rendering import WEB_TEMPLATES
from civitas.web.theme import LOGO_URL, theme_router

STATIC_DIR = WEB_TEMPLATES.parent / "static"


@dataclass(frozen=True)
class Platform:
    """Everything the running platform is made of, built once from the settings."""

    settings: Settings
    engine: Engine
    catalogue: Catalogue
    search: CatalogueSearch
    identity: Identity
    exchange: PortalExchange
    courier: Courier  # sends the outbox of deliveries to the agencies
    rules: RuleBook | None = None  # None when the country pack has no rules
    clock: Clock = field(default_factory=SystemClock)


def build_platform(
    settings: Settings,
    clock: Clock | None = None,
    identity_transport: httpx2.AsyncBaseTransport | None = None,
) -> Platform:
    """Load the country pack, prepare the database and the search index.

    ``identity_transport`` carries the calls to identity providers (tests hand in the
    development provider's app; by default they go over the network).
    """
    clock = clock or SystemClock()
    catalogue = load_catalogue(settings.country_pack)
    has_rules = (settings.country_pack / RULES_FOLDER).is_dir()
    rules = load_rules(settings.country_pack) if has_rules else None
    engine = create_engine_for(settings.resolved_database_url)
    migrate(engine)
    search = CatalogueSearch(catalogue, search_index_for(engine))
    search.rebuild()
    identity = Identity(
        identity_providers(settings, clock, identity_transport),
        SqlSessionStore(engine),
        SqlPendingStore(engine),
        clock,
        SessionRules(
            idle=dt.timedelta(minutes=settings.session_idle_minutes),
            lifetime=dt.timedelta(hours=settings.session_hours),
        ),
    )
    exchange = PortalExchange(settings, clock)
    courier = Courier(SqlDeliveryStore(engine), ExchangeAgencies(lambda: exchange.client), clock)
    return Platform(settings, engine, catalogue, search, identity, exchange, courier, rules, clock)


def identity_providers(
    settings: Settings, clock: Clock, transport: httpx2.AsyncBaseTransport | None
) -> Sequence[OpenIdProvider]:
    return [
        OpenIdProvider(
            id=provider.id,
            name=provider.name,
            issuer=provider.issuer,
            client_id=provider.client_id,
            client_secret=provider.client_secret.get_secret_value(),
            redirect_uri=settings.portal_url + CALLBACK_PATH,
            assurance=assurance_map(provider.acr),
            clock=clock,
            scope=provider.scope,
            transport=transport,
        )
        for provider in settings.identity_providers
    ]


def mandates_of(platform: Platform, services: frozenset[str]) -> Mandates:
    return Mandates(
        SqlMandateStore(platform.engine),
        ExchangeRelations(lambda: platform.exchange.client),
        platform.clock,
        services,
    )


def console_of(
    platform: Platform, mandates: Mandates, services: frozenset[str]
) -> tuple[Console, ConsentCodes]:
    """The assisted console for staff, and the consent codes people give it."""
    codes = SqlConsentCodeStore(platform.engine)
    console = Console(
        SqlStaffStore(platform.engine),
        codes,
        SqlServingStore(platform.engine),
        mandates,
        ExchangeNames(lambda: platform.exchange.client),
        platform.clock,
    )
    return console, ConsentCodes(codes, platform.clock, services)


def registers_of(registries: tuple[RegistryDefinition, ...]) -> list[Register]:
    """The registers that can say who used a person's data, with what their columns hold."""
    return [
        Register(
            f"{definition.organisation}/{definition.id}",
            definition.name,
            {column.name: column.description for column in definition.columns},
        )
        for definition in registries
    ]


def mount_tell_us_once(
    app: FastAPI,
    platform: Platform,
    renderer: Renderer,
    acting: ActingOnline,
    organisations: Mapping[str, Mapping[str, str]],
) -> frozenset[str]:
    """Tell us once, for the change of address service; the services it serves."""
    exchange = platform.exchange.setup
    if exchange is None or TELL_US_ONCE_SERVICE not in platform.catalogue.services:
        return frozenset()
    tell_us_once = TellUsOnce(
        SqlChangeStore(platform.engine),
        ExchangeAddressRegister(lambda: platform.exchange.client),
        recipients(exchange),
        platform.clock,
    )
    registers = {f"{d.organisation}/{d.id}": d.name for d in platform.exchange.registries}
    service = platform.catalogue.services[TELL_US_ONCE_SERVICE]
    level = max(Level.named(service.assurance.value), Level.LOW)
    pages = tell_us_once_router(
        tell_us_once,
        platform.catalogue,
        organisations,
        registers,
        acting,
        renderer,
        level,
        platform.courier.wake,
    )
    app.include_router(pages)
    app.include_router(tell_us_once_api_router(tell_us_once, acting, level, platform.courier.wake))
    # the service page starts this journey rather than an application form
    renderer.environment.globals["journeys"] = {TELL_US_ONCE_SERVICE: f"/{TELL_US_ONCE_SERVICE}"}
    return frozenset({TELL_US_ONCE_SERVICE})


def mount_applications(
    app: FastAPI,
    platform: Platform,
    renderer: Renderer,
    acting: ActingOnline,
    journeys: frozenset[str] = frozenset(),
) -> Applications | None:
    """Once-only application forms, when the pack has forms and an exchange to fill them,
    for the services people apply for that no journey of their own (``journeys``) serves;
    the applications, for the inbox to start them (None without forms)."""
    pack = platform.settings.country_pack
    exchange = platform.exchange.setup
    if not (pack / FORMS_FILE).exists() or exchange is None:
        return None
    catalogue = platform.catalogue
    applied_for = [  # a proactive offer can be applied for before it comes
        s.id
        for s in catalogue.services.values()
        if s.delivery in (DeliveryMode.ON_REQUEST, DeliveryMode.PROACTIVE_OFFER)
        and s.id not in journeys
    ]
    registries = platform.exchange.registries
    applications = Applications(
        load_forms(pack, exchange, applied_for, catalogue.country.languages),
        applied_for,
        SqlApplicationStore(platform.engine),
        ExchangeRegisters(lambda: platform.exchange.client),
        platform.clock,
        {f"{d.organisation}/{d.id}": d.record_id for d in registries},
    )
    names = {f"{d.organisation}/{d.id}": d.name for d in registries}
    purpose = exchange.purposes[PURPOSE]
    pages = applications_router(applications, catalogue, names, purpose, renderer, acting)
    app.include_router(pages)
    app.include_router(applications_api_router(applications))
    # the service pages offer "Apply online" for these, and the account page the list
    renderer.environment.globals["applied_for"] = frozenset(applied_for)
    return applications


def mount_proactive(
    app: FastAPI,
    platform: Platform,
    renderer: Renderer,
    acting: ActingOnline,
    applications: Applications | None,
) -> None:
    """The inbox of what the proactive services decided for a person, and their answers
    (accepting starts an application with ``applications``), when the pack has them."""
    pack = platform.settings.country_pack
    if not (pack / PROACTIVE_FILE).exists():
        return
    catalogue = platform.catalogue
    registries = platform.exchange.registries
    found = load_proactive(pack, registries, catalogue)
    once = frozenset(found.once_per_event)
    levels = {s.id: Level.named(s.assurance.value) for s in catalogue.services.values()}
    exchange = platform.exchange.setup
    purpose = exchange.purposes.get(PROACTIVE_PURPOSE) if exchange else None
    names = {f"{d.organisation}/{d.id}": d.name for d in registries}
    offers = Offers(SqlDecisionStore(platform.engine, platform.clock.now), platform.clock)
    pages = inbox_router(
        offers, applications, catalogue, names, purpose, once, levels, renderer, acting
    )
    app.include_router(pages)
    languages = catalogue.country.languages
    app.include_router(decisions_api_router(offers, applications, acting, once, levels, languages))
    renderer.environment.globals["inbox_waiting"] = waiting_counter(offers)  # the navigation


def mount_consents(
    app: FastAPI,
    platform: Platform,
    renderer: Renderer,
    mandates: Mandates,
    organisations: Mapping[str, Mapping[str, str]],
) -> None:
    """The person's consents, when some register keeps consents the portal may answer."""
    exchange = platform.exchange.setup
    registers = consent_registers(exchange, platform.exchange.registries) if exchange else []
    if exchange is None or not registers:
        return
    consents = Consents(
        registers,
        ExchangeConsentServices(lambda: platform.exchange.client),
        ParentsAndChildren(mandates),
        platform.clock,
    )
    app.include_router(consents_router(consents, renderer, organisations, exchange.purposes))
    app.include_router(consents_api_router(consents, organisations, exchange.purposes))
    renderer.environment.globals["consents_page"] = True  # the account page links to it


def mount_notifications(
    app: FastAPI, platform: Platform, renderer: Renderer, acting: ActingOnline
) -> Dispatcher:
    """People's messages and how they want to be told; the dispatcher that sends their
    emails and letters (the lifespan runs it)."""
    settings = platform.settings
    country = platform.catalogue.country
    templates = load_templates(settings.country_pack)
    store = SqlNotificationStore(platform.engine)
    documents = Documents(Letterhead(country.name, country.portal_name), renderer.translators)
    password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
    smtp = SmtpSettings(
        host=settings.smtp_host or None,
        port=settings.smtp_port,
        sender=settings.smtp_sender or default_sender(settings.portal_url),
        starttls=settings.smtp_starttls,
        username=settings.smtp_username or None,
        password=password,
    )
    senders: list[Sender] = [
        SmtpSender(smtp, documents, platform.clock),
        PdfLetters(settings.data_dir / "letters", documents, platform.clock),
    ]
    notifications = Notifications(store, templates, platform.clock)
    app.include_router(notifications_router(notifications, acting, renderer))
    app.include_router(notifications_api_router(notifications, acting))
    renderer.environment.globals["messages_page"] = True  # the account page links to it
    dispatcher = Dispatcher(store, senders, templates, platform.clock, settings.portal_url)
    app.state.dispatcher = dispatcher  # whoever keeps notices in the portal may wake it
    return dispatcher


def signed_services(catalogue: Catalogue) -> dict[str, Mapping[str, str]]:
    """The services a person signs in for, which a mandate may cover: id -> name."""
    return {
        service.id: service.name
        for service in catalogue.services.values()
        if service.assurance is not AssuranceLevel.NONE
    }


def create_app(settings: Settings, platform: Platform | None = None) -> FastAPI:
    platform = platform or build_platform(settings)
    catalogue = platform.catalogue
    country = catalogue.country
    site = Site(
        name=country.portal_name,
        languages=country.languages,
        primary_colour=country.theme.primary,
        accent_colour=country.theme.accent,
        logo_url=LOGO_URL if country.theme.logo else "",
    )
    renderer = Renderer(site, load_translators(country.languages), template_dirs())

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        platform.exchange.open()
        stop = asyncio.Event()
        courier = asyncio.create_task(
            platform.courier.run(stop, every=platform.settings.delivery_seconds)
        )
        dispatching = asyncio.create_task(  # the dispatcher is mounted below, before start-up
            dispatcher.run(stop, every=platform.settings.notification_seconds)
        )
        try:
            yield
        finally:
            stop.set()
            await courier
            await dispatching
            await platform.exchange.close()  # seals the portal's message log
            platform.engine.dispose()  # close database connections when the server stops

    app = FastAPI(
        lifespan=lifespan,
        title="Civitas API",
        version=__version__,
        description="The public service catalogue of " + country.name[country.default_language],
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    app.state.platform = platform
    install_error_handlers(app, renderer)
    secure = settings.portal_url.startswith("https://")
    services = signed_services(catalogue)
    mandates = mandates_of(platform, frozenset(services))
    acting = ActingOnline(platform.identity.sessions, mandates)
    install_identity(app, platform.identity, renderer, settings.portal_url, secure, acting)
    app.include_router(mandates_router(mandates, acting, renderer, services))
    console, codes = console_of(platform, mandates, frozenset(services))
    app.include_router(console_router(console, codes, renderer, services))
    data_use = DataUse(lambda: platform.exchange.client, registers_of(platform.exchange.registries))
    organisations = {org.id: org.name for org in catalogue.organisations.values()}
    app.include_router(data_use_router(data_use, acting, renderer, organisations))
    app.include_router(identity_api_router(data_use, acting))
    journeys = mount_tell_us_once(app, platform, renderer, acting, organisations)
    applications = mount_applications(app, platform, renderer, acting, journeys)
    mount_proactive(app, platform, renderer, acting, applications)
    mount_consents(app, platform, renderer, mandates, organisations)
    dispatcher = mount_notifications(app, platform, renderer, acting)
    app.add_middleware(CsrfProtection, refuse=refuse_forged_form(renderer), secure=secure)
    app.add_middleware(
        BodySizeLimit, max_bytes=settings.max_request_bytes, refuse=refuse_too_large(renderer)
    )
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    logo = settings.country_pack / country.theme.logo if country.theme.logo else None
    app.include_router(theme_router(logo))
    app.include_router(api_router(catalogue, platform.search))
    if platform.rules is not None:
        app.include_router(rules_api_router(platform.rules, country.languages))
        app.include_router(screener_router(platform.rules, catalogue, renderer, platform.clock))
        renderer.environment.globals["screener_path"] = SCREENER_PATH  # for the navigation
    without_default_validation_response(app)
    app.include_router(pages_router(catalogue, platform.search, renderer))
    return app
