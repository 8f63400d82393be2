"""A small catalogue that fills every field the domain has, for export/import tests.

The demo pack may leave optional fields empty; this one does not: participants,
requirements with evidence, rules, opening hours, addresses, both kinds of event,
lists in an order that is not alphabetical, text that needs escaping, and a fee
a binary floating-point number cannot hold.
"""

from __future__ import annotations

from decimal import Decimal

from civitas.catalogue.domain import (
    AssuranceLevel,
    Catalogue,
    Channel,
    ChannelType,
    Cost,
    CountryProfile,
    DeliveryMode,
    Event,
    EventKind,
    Evidence,
    EvidenceKind,
    LegalResource,
    Organisation,
    OrganisationKind,
    Output,
    OutputKind,
    Requirement,
    RequirementKind,
    Rule,
    Service,
    ServiceStandard,
    Step,
    Theme,
)


def t(en: str, pt: str) -> dict[str, str]:
    return {"en": en, "pt": pt}


def full_catalogue() -> Catalogue:
    country = CountryProfile(
        id="testland",
        name=t("Testland", "Terra de Teste"),
        portal_name=t("Testland Services", "Serviços de Teste"),
        tagline=t('Say "hello" [politely]\nthen wait.', "Diga «olá» e espere."),
        languages=("pt", "en"),  # the default language first, not alphabetical
        spatial="TST",
        currency="EUR",
        theme=Theme(primary="#123456", accent="#abcdef", logo="logo.svg"),
    )
    organisations = [
        Organisation(
            id="registry",
            name=t("Registry", "Registo"),
            kind=OrganisationKind.NATIONAL_AGENCY,
            spatial="TST",
            description=t("Keeps records.", "Guarda registos."),
            homepage="https://registry.example/",
            phone="+000 1 234",
            email="help@registry.example",
            address=t("1 Main Street, Capital", "Rua Principal 1, Capital"),
        ),
        Organisation(
            id="town-hall",
            name=t("Town hall", "Câmara municipal"),
            kind=OrganisationKind.MUNICIPALITY,
            spatial="TST-01",
            description=t("Runs the town.", "Gere a cidade."),
        ),
    ]
    legal = [
        LegalResource(
            id="records-act",
            title=t("Records Act", "Lei dos Registos"),
            url="https://law.example/records",
            description=t("Who keeps which records.", "Quem guarda que registos."),
        ),
        LegalResource(
            id="fees-decree",
            title=t("Fees Decree", "Decreto das Taxas"),
            url="Official Gazette 12/2020, page 3",  # not a web address: kept as text
        ),
    ]
    evidence = [
        Evidence(
            id="id-card",
            name=t("Identity card", "Cartão de identidade"),
            description=t("Your card.", "O seu cartão."),
            kind=EvidenceKind.IDENTITY_DOCUMENT,
        ),
        Evidence(
            id="photo",
            name=t("Photo", "Fotografia"),
            description=t("A recent photo.", "Uma fotografia recente."),
            kind=EvidenceKind.PHOTO,
        ),
    ]
    services = [
        Service(
            id="get-a-record",
            name=t("Get a record", "Obter um registo"),
            description=t("We send you a copy.", "Enviamos-lhe uma cópia."),
            authority="registry",
            processing_days=0,
            standard=ServiceStandard(working_days=5, share=Decimal("0.95")),
            delivery=DeliveryMode.ON_REQUEST,
            assurance=AssuranceLevel.SUBSTANTIAL,
            legal_basis=("records-act", "fees-decree"),
            channels=(
                Channel(
                    id="web",
                    type=ChannelType.WEB,
                    description=t("Online.", "Online."),
                    address="https://portal.example/get-a-record",
                ),
                Channel(
                    id="desk",
                    type=ChannelType.DESK,
                    description=t("At the counter.", "No balcão."),
                    address="1 Main Street",
                    opening_hours=t("Weekdays 9:00-17:00", "Dias úteis 9:00-17:00"),
                ),
            ),
            keywords={"en": ("record", "copy", "record"), "pt": ("registo", "cópia")},
            requirements=(
                Requirement(
                    id="be-registered",
                    name=t("Be registered", "Estar registado"),
                    description=t("You are in the registry.", "Está no registo."),
                    kind=RequirementKind.DOCUMENT,
                    evidence=("photo", "id-card"),
                ),
            ),
            evidence=("photo", "id-card"),
            costs=(
                Cost(
                    id="fee",
                    amount=Decimal("12345678901234.56"),
                    description=t("A large fee.", "Uma taxa grande."),
                ),
                Cost(id="stamp", amount=Decimal("0.10"), description=t("Stamp.", "Selo.")),
            ),
            outputs=(
                Output(
                    id="copy",
                    name=t("Copy", "Cópia"),
                    description=t("A certified copy.", "Uma cópia certificada."),
                    kind=OutputKind.DOCUMENT,
                ),
            ),
            rules=(
                Rule(
                    id="copy-rule",
                    name=t("Copies rule", "Regra das cópias"),
                    description=t("Anyone may ask.", "Qualquer pessoa pode pedir."),
                    implements=("records-act", "fees-decree"),
                ),
            ),
            participants=("town-hall",),
        ),
        Service(
            id="open-a-shop",
            name=t("Open a shop", "Abrir uma loja"),
            description=t("Tell the town.", "Informe a câmara."),
            authority="town-hall",
            processing_days=10,
            standard=ServiceStandard(working_days=10, share=Decimal("1")),
            delivery=DeliveryMode.PROACTIVE_OFFER,
            assurance=AssuranceLevel.NONE,
            legal_basis=(),
            channels=(
                Channel(id="phone", type=ChannelType.PHONE, description=t("Call.", "Ligue.")),
            ),
        ),
    ]
    events = [
        Event(
            id="moving-house",
            kind=EventKind.LIFE,
            name=t("Moving house", "Mudar de casa"),
            description=t("What to do.", "O que fazer."),
            steps=(
                Step("open-a-shop"),
                Step("get-a-record", when=t("Before you move", "Antes de mudar")),
            ),
            keywords={"en": ("move",), "pt": ("mudança",)},
            icon="house",
        ),
        Event(
            id="starting-a-business",
            kind=EventKind.BUSINESS,
            name=t("Starting a business", "Criar uma empresa"),
            description=t("First steps.", "Primeiros passos."),
            steps=(Step("open-a-shop"),),
        ),
    ]
    return Catalogue(
        country=country,
        organisations={o.id: o for o in organisations},
        services={s.id: s for s in services},
        events={e.id: e for e in events},
        evidence={e.id: e for e in evidence},
        legal_resources={law.id: law for law in legal},
    )
