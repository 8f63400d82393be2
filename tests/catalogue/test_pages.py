"""The citizen portal's pages, rendered through the real app (no browser).

Most tests run against the demo pack. A small "full" pack written below fills
every optional field (and leaves others empty) so each branch of the templates
is rendered with known values.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from civitas.app import create_app
from civitas.catalogue import Catalogue
from civitas.catalogue.web import first_letter, sort_key
from civitas.config import Settings

LANGUAGES = ("en", "pt")


class Outline(HTMLParser):
    """The parts of a page the tests look at: html lang, title, h1s, ids, links."""

    def __init__(self) -> None:
        super().__init__()
        self.lang = ""
        self.title = ""
        self.h1s: list[str] = []
        self.ids: list[str] = []
        self.links: list[tuple[str, dict[str, str | None]]] = []
        self._open: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "html":
            self.lang = found.get("lang") or ""
        if found.get("id"):
            self.ids.append(str(found["id"]))
        if tag == "a":
            self.links.append((str(found.get("href")), found))
        if tag in ("title", "h1"):
            self._open = tag
            if tag == "h1":
                self.h1s.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == self._open:
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open == "title":
            self.title += data
        elif self._open == "h1":
            self.h1s[-1] += data


def outline(html: str) -> Outline:
    parser = Outline()
    parser.feed(html)
    return parser


def every_page(catalogue: Catalogue, lang: str) -> list[str]:
    return [
        f"/{lang}/",
        f"/{lang}/services",
        f"/{lang}/organisations",
        f"/{lang}/search",
        *(f"/{lang}/life-events/{i}" for i in catalogue.events),
        *(f"/{lang}/services/{i}" for i in catalogue.services),
        *(f"/{lang}/organisations/{i}" for i in catalogue.organisations),
    ]


# ------------------------------------------------------------------ demo pack


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The demo portal, built once for this module: these tests only read pages."""
    settings = Settings(  # type: ignore[call-arg]
        data_dir=tmp_path_factory.mktemp("demo-data"), _env_file=None
    )
    with TestClient(create_app(settings), raise_server_exceptions=False) as test_client:
        yield test_client


def test_home_redirects_to_the_language_the_browser_prefers(client: TestClient) -> None:
    response = client.get(
        "/", headers={"Accept-Language": "pt-PT,pt;q=0.9"}, follow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/pt/"


def test_start_page_asks_what_is_happening_in_your_life(client: TestClient) -> None:
    response = client.get("/en/")
    assert response.status_code == 200
    assert "What is happening in your life?" in response.text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_renders_with_one_h1_its_language_and_a_title_saying_where_you_are(
    client: TestClient, demo_catalogue: Catalogue, lang: str
) -> None:
    portal = demo_catalogue.country.portal_name[lang]
    for path in every_page(demo_catalogue, lang):
        response = client.get(path)
        assert response.status_code == 200, path
        page = outline(response.text)
        assert page.lang == lang, path
        assert len(page.h1s) == 1, path
        heading = " ".join(page.h1s[0].split())
        assert page.title.startswith(heading if path != f"/{lang}/search" else ""), path
        assert page.title.endswith(portal), path
        duplicates = [i for i, n in Counter(page.ids).items() if n > 1]
        assert not duplicates, f"{path} repeats ids {duplicates}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_start_page_links_to_every_life_event_and_to_the_indexes(
    client: TestClient, demo_catalogue: Catalogue, lang: str
) -> None:
    hrefs = {href for href, _ in outline(client.get(f"/{lang}/").text).links}
    for event_id in demo_catalogue.events:
        assert f"/{lang}/life-events/{event_id}" in hrefs
    assert {f"/{lang}/services", f"/{lang}/organisations"} <= hrefs


@pytest.mark.parametrize(
    "path",
    [
        "/en/services/no-such-service",
        "/pt/life-events/no-such-event",
        "/en/organisations/no-such-organisation",
        "/pt/no/such/page",
    ],
)
def test_unknown_ids_give_a_404_page_in_the_language_of_the_address(
    client: TestClient, path: str
) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert "text/html" in response.headers["content-type"]
    page = outline(response.text)
    assert page.lang == path.split("/")[1]
    assert len(page.h1s) == 1


def test_error_page_says_what_happened_in_portuguese(client: TestClient) -> None:
    response = client.get("/pt/services/no-such-service")
    assert "Não existe nenhum serviço chamado no-such-service." in response.text
    assert "Erro 404" in response.text


def test_unknown_language_is_a_clear_404_page(client: TestClient) -> None:
    response = client.get("/fr/")
    assert response.status_code == 404
    assert "This site has no pages in &#39;fr&#39;." in response.text


@pytest.mark.parametrize(("lang", "other"), [("en", "pt"), ("pt", "en")])
def test_language_switch_on_a_service_page_points_to_the_same_service(
    client: TestClient, demo_catalogue: Catalogue, lang: str, other: str
) -> None:
    service_id = next(iter(demo_catalogue.services))
    page = outline(client.get(f"/{lang}/services/{service_id}").text)
    switch = [href for href, attrs in page.links if attrs.get("hreflang") == other]
    assert switch == [f"/{other}/services/{service_id}"]
    answer = client.get(switch[0])
    assert answer.status_code == 200
    assert demo_catalogue.services[service_id].name[other] in answer.text


def test_language_switch_on_search_keeps_the_query(client: TestClient) -> None:
    page = outline(client.get("/en/search", params={"q": "birth"}).text)
    switch = [href for href, attrs in page.links if attrs.get("hreflang") == "pt"]
    assert switch == ["/pt/search?q=birth"]


def test_search_forgives_a_swapped_letter(client: TestClient) -> None:
    response = client.get("/en/search", params={"q": "birht"})
    assert response.status_code == 200
    assert "/en/services/register-a-birth" in response.text


@pytest.mark.parametrize(("lang", "typo"), [("en", "pasport"), ("pt", "passaprote")])
def test_search_finds_the_passport_despite_a_typo_and_says_what_it_searched_for(
    client: TestClient, demo_catalogue: Catalogue, lang: str, typo: str
) -> None:
    passport = [
        service_id
        for service_id, service in demo_catalogue.services.items()
        if "passport" in service.name["en"].lower()
    ]
    assert passport, "the demo pack has a passport service"
    response = client.get(f"/{lang}/search", params={"q": typo})
    assert response.status_code == 200
    assert f"/{lang}/services/{passport[0]}" in response.text
    showing = {"en": "Showing results for", "pt": "A mostrar resultados para"}[lang]
    assert showing in response.text
    assert f'value="{typo}"' in response.text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_search_groups_life_events_and_services(client: TestClient, lang: str) -> None:
    word = {"en": "child", "pt": "filho"}[lang]
    text = client.get(f"/{lang}/search", params={"q": word}).text
    life_events, services = {
        "en": ("Life events", "Services"),
        "pt": ("Eventos de vida", "Serviços"),
    }[lang]
    assert f"<h2>{life_events}</h2>" in text
    assert f"<h2>{services}</h2>" in text
    assert text.index(f"<h2>{life_events}</h2>") < text.index(f"<h2>{services}</h2>")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_search_without_results_suggests_what_to_do_next(client: TestClient, lang: str) -> None:
    response = client.get(f"/{lang}/search", params={"q": "qqxzvvkkjj"})
    assert response.status_code == 200
    nothing = {"en": "We found nothing for", "pt": "Não encontrámos nada para"}[lang]
    assert nothing in response.text
    assert f'href="/{lang}/services"' in response.text
    assert 'value="qqxzvvkkjj"' in response.text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_search_over_200_characters_is_a_400_page_keeping_the_query(
    client: TestClient, lang: str
) -> None:
    query = "x" * 201
    response = client.get(f"/{lang}/search", params={"q": query})
    assert response.status_code == 400
    assert "text/html" in response.headers["content-type"]
    assert 'class="error-summary"' in response.text
    assert 'aria-invalid="true"' in response.text
    assert f'value="{query}"' in response.text
    too_long = {"en": "The search is too long.", "pt": "A pesquisa é demasiado longa."}[lang]
    assert too_long in response.text


def test_services_a_to_z_lists_every_service_once(
    client: TestClient, demo_catalogue: Catalogue
) -> None:
    hrefs = [href for href, _ in outline(client.get("/pt/services").text).links]
    for service_id in demo_catalogue.services:
        assert hrefs.count(f"/pt/services/{service_id}") == 1


def test_a_to_z_ignores_accents_and_case() -> None:
    names = ["Registo", "óbito", "Abono", "Ócio", "nascimento"]
    assert sorted(names, key=sort_key) == ["Abono", "nascimento", "óbito", "Ócio", "Registo"]
    assert first_letter("Óbito") == "O"
    assert first_letter("  élan") == "E"
    assert first_letter("112 emergency") == "#"


def test_organisations_index_links_to_every_organisation(
    client: TestClient, demo_catalogue: Catalogue
) -> None:
    hrefs = {href for href, _ in outline(client.get("/en/organisations").text).links}
    for organisation_id in demo_catalogue.organisations:
        assert f"/en/organisations/{organisation_id}" in hrefs


def test_organisation_page_lists_its_services(
    client: TestClient, demo_catalogue: Catalogue
) -> None:
    service = next(iter(demo_catalogue.services.values()))
    text = client.get(f"/en/organisations/{service.authority}").text
    assert f'href="/en/services/{service.id}"' in text


# ------------------------------------------------------------------ a pack with everything

FULL_PACK = {
    "country.yaml": """
id: testland
name: {en: Testland, pt: Terra de Teste}
portal_name: {en: Testland Services, pt: Serviços de Teste}
tagline: {en: Services for your life., pt: Serviços para a sua vida.}
languages: [en, pt]
spatial: TST
currency: EUR
""",
    "organisations.yaml": """
- id: passports
  name: {en: Passport Office, pt: Serviço de Passaportes}
  kind: national_agency
  spatial: TST
  email: help@passports.test
  phone: "+000 200 300"
  homepage: https://passports.test
  address: {en: "Main Street 1, Testville", pt: "Rua Principal 1, Testelândia"}
  description: {en: Issues passports., pt: Emite passaportes.}
- id: town
  name: {en: Town Council, pt: Câmara Municipal}
  kind: municipality
  spatial: TST-1
  description: {en: The town., pt: A vila.}
""",
    "legal.yaml": """
- id: passport-act
  title: {en: Passport Act 2020, pt: Lei dos Passaportes de 2020}
  url: https://law.test/passport-act
  description: {en: Who may get a passport., pt: Quem pode ter passaporte.}
""",
    "evidence.yaml": """
- id: photo
  name: {en: Recent photo, pt: Fotografia recente}
  description: {en: Taken this year., pt: Tirada este ano.}
  kind: photo
- id: old-passport
  name: {en: Old passport, pt: Passaporte antigo}
  description: {en: If you have one., pt: Se tiver um.}
""",
    "services/all.yaml": """
- id: get-a-passport
  name: {en: Get a passport, pt: Pedir um passaporte}
  description: {en: Apply for a passport., pt: Peça um passaporte.}
  authority: passports
  participants: [town]
  processing_days: 7
  standard: {working_days: 10, share: 0.975}
  delivery: on_request
  assurance: high
  legal_basis: [passport-act]
  evidence: [photo]
  requirements:
    - id: citizen
      name: {en: You are a citizen, pt: É cidadão}
      description: {en: Only citizens., pt: Só cidadãos.}
      evidence: [old-passport]
  rules:
    - id: validity
      name: {en: Validity, pt: Validade}
      description: {en: Valid for 10 years., pt: Válido por 10 anos.}
      implements: [passport-act]
  channels:
    - id: web
      type: web
      address: https://apply.test/passport
      description: {en: Apply online., pt: Peça online.}
    - id: desk
      type: desk
      address: Main Street 1, Testville
      opening_hours: {en: Monday to Friday 9 to 5, pt: Segunda a sexta das 9 às 17}
      description: {en: Bring your photo., pt: Traga a fotografia.}
    - id: phone
      type: phone
      address: "+000 200 300"
      description: {en: Ask us., pt: Pergunte-nos.}
    - id: email
      type: email
      address: help@passports.test
      description: {en: Write to us., pt: Escreva-nos.}
  costs:
    - id: fee
      amount: "65.00"
      description: {en: The passport fee., pt: A taxa do passaporte.}
    - id: fast
      amount: "1200.50"
      description: {en: Fast track., pt: Via rápida.}
  outputs:
    - id: passport
      name: {en: Passport, pt: Passaporte}
      description: {en: Sent to your home., pt: Enviado para sua casa.}
- id: child-benefit
  name: {en: Child benefit, pt: Abono de família}
  description: {en: Money every month., pt: Dinheiro todos os meses.}
  authority: town
  processing_days: 0
  standard: {working_days: 0, share: 1}
  delivery: automatic
  assurance: none
  legal_basis: []
  channels: []
- id: nursery
  name: {en: Nursery place, pt: Vaga em creche}
  description: {en: A place near you., pt: Uma vaga perto de si.}
  authority: town
  processing_days: 1
  standard: {working_days: 1, share: 0.9}
  delivery: proactive_offer
  assurance: low
  legal_basis: []
  channels:
    - id: app
      type: app
      address: https://app.test
      description: {en: Accept in the app., pt: Aceite na aplicação.}
""",
    "events.yaml": """
- id: new-baby
  kind: life
  icon: baby
  name: {en: Having a baby, pt: Ter um bebé}
  description: {en: Everything for a new baby., pt: Tudo para um bebé.}
  steps:
    - service: child-benefit
    - service: nursery
      when: {en: At 4 months, pt: Aos 4 meses}
    - service: get-a-passport
- id: moving
  kind: life
  icon: no-such-icon
  name: {en: Moving, pt: Mudar de casa}
  description: {en: Tell us once., pt: Diga-nos uma vez.}
  steps:
    - service: child-benefit
- id: shop
  kind: business
  icon: shop
  name: {en: Opening a shop, pt: Abrir uma loja}
  description: {en: Permits., pt: Licenças.}
  steps:
    - service: get-a-passport
""",
}


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    root = tmp_path_factory.mktemp("full-pack")
    for name, text in FULL_PACK.items():
        (root / "pack" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "pack" / name).write_text(text.lstrip(), encoding="utf-8")
    settings = Settings(  # type: ignore[call-arg]
        data_dir=root / "data", country_pack=Path(root / "pack"), _env_file=None
    )
    with TestClient(create_app(settings), raise_server_exceptions=False) as test_client:
        yield test_client


def text_of(html: str) -> str:
    """The page's text without tags, spaces collapsed (no-break spaces kept), for phrases."""
    inline_removed = re.sub(r"</?(?:a|strong|span)\b[^>]*>", "", html)
    return re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", inline_removed))


def test_life_event_page_shows_the_steps_in_order_with_plain_delivery_words(
    full: TestClient,
) -> None:
    text = text_of(full.get("/en/life-events/new-baby").text)
    assert text.index("Child benefit") < text.index("Nursery place") < text.index("Get a passport")
    assert "Automatic: you do not need to do anything." in text
    assert "We will offer it to you." in text
    assert "You need to apply." in text
    assert "At 4 months" in text
    assert "This takes 3 steps. 2 organisations are involved." in text


def test_life_event_page_shows_time_promise_cost_channels_and_a_summary(
    full: TestClient,
) -> None:
    text = text_of(full.get("/en/life-events/new-baby").text)
    assert "Usually 7 working days" in text
    assert "We promise to decide 97.5% of cases within 10 working days." in text
    assert "We promise to decide 100% of cases on the same working day." in text
    assert "Straight away" in text
    assert "€1,265.50" in text
    for channel in ("Online", "In person", "By phone", "By e-mail", "Mobile app"):
        assert channel in text
    summary = text[text.index("Summary") :]
    assert "Total cost €1,265.50" in summary
    assert "Passport Office" in summary
    assert "Town Council" in summary
    assert "Recent photo" in summary
    assert "Old passport" in summary


def test_life_event_page_in_portuguese_writes_money_and_shares_the_portuguese_way(
    full: TestClient,
) -> None:
    text = text_of(full.get("/pt/life-events/new-baby").text)
    assert "1\xa0265,50\xa0€" in text
    assert "Comprometemo-nos a decidir 97,5% dos casos no prazo de 10 dias úteis." in text
    assert "São precisos 3 passos." in text


def test_service_page_explains_how_to_apply_on_each_channel(full: TestClient) -> None:
    html = full.get("/en/services/get-a-passport").text
    text = text_of(html)
    assert 'href="https://apply.test/passport"' in html  # the start button
    assert 'href="tel:+000200300"' in html
    assert 'href="mailto:help@passports.test"' in html
    assert "Main Street 1, Testville" in text
    assert "Opening hours: Monday to Friday 9 to 5" in text


def test_service_page_shows_needs_cost_outputs_law_sign_in_and_life_events(
    full: TestClient,
) -> None:
    html = full.get("/en/services/get-a-passport").text
    text = text_of(html)
    assert "You are a citizen" in text
    assert "Proof: Old passport" in text
    assert "Recent photo" in text
    assert "€65.00" in text
    assert "€1,200.50" in text
    assert "Sent to your home." in text
    assert 'href="https://law.test/passport-act"' in html
    assert "Validity: Valid for 10 years." in text
    assert "the strongest digital identity" in text
    assert 'href="/en/life-events/new-baby"' in html
    assert 'href="/en/life-events/shop"' in html
    assert 'href="/en/organisations/passports"' in html
    assert "With the help of: Town Council" in text


def test_service_page_in_portuguese_writes_euros_the_portuguese_way(full: TestClient) -> None:
    text = text_of(full.get("/pt/services/get-a-passport").text)
    assert "65,00\xa0€" in text
    assert "Começar agora" in text


def test_a_service_with_no_channels_costs_or_needs_still_renders(full: TestClient) -> None:
    response = full.get("/pt/services/child-benefit")
    assert response.status_code == 200
    text = text_of(response.text)
    assert "Gratuito" in text
    assert "Não precisa de iniciar sessão." in text
    assert "Como fazer o pedido" not in text


def test_organisation_page_shows_contact_details_and_services(full: TestClient) -> None:
    html = full.get("/en/organisations/passports").text
    assert 'href="mailto:help@passports.test"' in html
    assert "Main Street 1, Testville" in html
    assert 'href="/en/services/get-a-passport"' in html


def test_organisations_index_groups_organisations_by_kind(full: TestClient) -> None:
    text = text_of(full.get("/pt/organisations").text)
    assert text.index("Organismos nacionais") < text.index("Serviço de Passaportes")
    assert text.index("Municípios") < text.index("Câmara Municipal")


def test_start_page_shows_business_events_apart_and_a_generic_icon_for_unknown_names(
    full: TestClient,
) -> None:
    html = full.get("/en/").text
    assert html.index("Running a business") < html.index('href="/en/life-events/shop"')
    assert html.index('href="/en/life-events/moving"') < html.index("Running a business")
    assert html.count('<svg class="icon"') == 3


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_of_the_full_pack_renders(full: TestClient, lang: str) -> None:
    for path in [
        f"/{lang}/",
        f"/{lang}/services",
        f"/{lang}/organisations",
        f"/{lang}/life-events/new-baby",
        f"/{lang}/life-events/moving",
        f"/{lang}/services/get-a-passport",
        f"/{lang}/services/child-benefit",
        f"/{lang}/services/nursery",
        f"/{lang}/organisations/passports",
        f"/{lang}/organisations/town",
    ]:
        response = full.get(path)
        assert response.status_code == 200, path
        assert len(outline(response.text).h1s) == 1, path
