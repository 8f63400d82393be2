"""The screener "check what you may get", over HTTP: it asks only what the rules still
need, carries answers in the form, explains each result and refuses answers it cannot use.

Most tests run the small rule pack of ``screener_pack.py`` (so its questions are known)
with the demo catalogue and a clock fixed in March 2026; the last ones walk the demo
country's own rules in both languages.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import replace
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response

from civitas.app import build_platform, create_app
from civitas.config import Settings
from civitas.core.clock import FixedClock
from civitas.rules import MONEY, RATE, RuleBook, load_rules
from civitas.rules.screener_answers import DONT_KNOW, AnswerProblem, read_answer
from civitas.rules.values import DATE, INTEGER, enumeration
from tests.rules.screener_pack import write_screener_pack
from tests.support.forms import post_form

SCREENER = "/{lang}/check-what-you-may-get"
MARCH_2026 = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def rules(tmp_path_factory: pytest.TempPathFactory) -> RuleBook:
    return load_rules(write_screener_pack(tmp_path_factory.mktemp("pack")), ("en", "pt"))


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, rules: RuleBook) -> Iterator[TestClient]:
    """The portal with the small rule pack, on 10 March 2026."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("screener"), _env_file=None)  # type: ignore[call-arg]
    platform = replace(build_platform(settings), rules=rules, clock=FixedClock(MARCH_2026))
    with TestClient(create_app(settings, platform), raise_server_exceptions=False) as test:
        yield test


# ---------------------------------------------------------------- a form-filling visitor


class FormReader(HTMLParser):
    """The hidden fields of a page's form, and which questions it asks."""

    def __init__(self) -> None:
        super().__init__()
        self.hidden: dict[str, str] = {}
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if "id" in found:
            self.ids.add(found["id"])
        if tag == "input" and found.get("type") == "hidden":
            self.hidden[found["name"]] = found.get("value", "")


def read_form(response: Response) -> FormReader:
    reader = FormReader()
    reader.feed(response.text)
    return reader


def asked(response: Response) -> list[str]:
    """The questions a page asks, as member.variable."""
    return read_form(response).hidden.get("asked", "").split()


def send(
    client: TestClient, page: Response, answers: Mapping[str, str], lang: str = "en"
) -> Response:
    """Submit a page's form with its hidden fields and these answers."""
    return post_form(client, SCREENER.format(lang=lang), data={**read_form(page).hidden, **answers})


def start(client: TestClient, partner: str, children: str, lang: str = "en") -> Response:
    return post_form(
        client, SCREENER.format(lang=lang), data={"partner": partner, "children": children}
    )


def dont_know_to_all(page: Response) -> dict[str, str]:
    return {f"q.{key}": "?" for key in asked(page)}


def walk(
    client: TestClient, page: Response, answers: Mapping[str, str], lang: str = "en"
) -> tuple[Response, list[str]]:
    """Answer every page from ``answers`` (member.variable -> form fields) until the
    results; what is not in ``answers`` is answered "I do not know"."""
    seen: list[str] = []
    for _ in range(30):
        keys = asked(page)
        if not keys:
            return page, seen
        assert page.status_code == 200, page.text
        seen.extend(keys)
        fields: dict[str, str] = {}
        for key in keys:
            given = answers.get(key)
            if given is None:
                fields[f"q.{key}"] = "?"
                fields[f"q.{key}.unknown"] = "yes"
            elif " " in given and re.fullmatch(r"\d+ \d+ \d+", given):
                day, month, year = given.split()
                fields.update({f"q.{key}.day": day, f"q.{key}.month": month, f"q.{key}.year": year})
            else:
                fields[f"q.{key}"] = given
        page = send(client, page, fields, lang)
    raise AssertionError("the screener never reached its results")


FAMILY = {
    "you.birth_date": "1 5 1990",
    "you.unemployed": "true",
    "you.contribution_months": "24",
    "you.former_earnings": "1000",
    "child1.birth_date": "10 2 2020",
    "home.household_income": "12000",
    "home.tenure": "owner",
}


def main_text(response: Response) -> str:
    html = response.text[response.text.index("<main") : response.text.index("</main>")]
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# ---------------------------------------------------------------- the first page


@pytest.mark.parametrize(
    ("lang", "heading", "question"),
    [
        ("en", "Check what you may get", "Do you live with a partner?"),
        ("pt", "Veja a que apoios pode ter direito", "Vive com um companheiro ou companheira?"),
    ],
)
def test_the_first_page_asks_who_lives_with_you(
    client: TestClient, lang: str, heading: str, question: str
) -> None:
    page = client.get(SCREENER.format(lang=lang))
    assert page.status_code == 200
    assert page.headers["content-language"] == lang
    assert f"<h1>{heading}</h1>" in page.text
    assert question in page.text
    assert 'name="children"' in page.text
    assert 'method="post"' in page.text


def test_the_start_page_and_the_footer_link_to_the_screener(client: TestClient) -> None:
    for lang in ("en", "pt"):
        start_page = client.get(f"/{lang}/").text
        assert start_page.count(f'href="/{lang}/check-what-you-may-get"') == 2  # panel, footer


def test_a_language_the_site_does_not_have_is_not_found(client: TestClient) -> None:
    assert client.get("/de/check-what-you-may-get").status_code == 404


def test_who_lives_with_you_must_be_answered_with_errors_linked_to_the_fields(
    client: TestClient,
) -> None:
    page = post_form(client, SCREENER.format(lang="en"), data={"children": "9"})
    assert page.status_code == 400
    assert "<title>Error: " in page.text
    summary = page.text[page.text.index('class="error-summary"') :]
    assert '<a href="#partner-yes">Choose yes if you live with a partner.</a>' in summary
    assert '<a href="#children">Enter a number from 0 to 6.</a>' in summary
    assert 'id="children-error"' in page.text
    assert 'value="9"' in page.text  # what was typed is kept


def test_errors_on_the_first_page_are_in_portuguese(client: TestClient) -> None:
    page = post_form(client, SCREENER.format(lang="pt"), data={"partner": "yes"})
    assert page.status_code == 400
    assert "Indique quantos filhos vivem consigo, de 0 a 6." in page.text


# ---------------------------------------------------------------- only what is needed


def test_the_first_questions_are_what_decides_first(client: TestClient) -> None:
    # Unemployment benefit starts with "is 18 or older", child benefit with the
    # children's ages: so a date of birth, and nothing about work yet.
    page = start(client, "no", "1")
    assert asked(page) == ["you.birth_date"]
    assert "<h1>About you</h1>" in page.text


def test_a_no_to_a_first_condition_means_the_later_ones_are_never_asked(
    client: TestClient,
) -> None:
    _, seen = walk(client, start(client, "no", "0"), {**FAMILY, "you.unemployed": "false"})
    assert "you.unemployed" in seen
    assert "you.contribution_months" not in seen
    assert "you.former_earnings" not in seen


def test_a_home_without_children_is_never_asked_about_children(client: TestClient) -> None:
    results, seen = walk(client, start(client, "no", "0"), FAMILY)
    assert seen
    assert {key.split(".")[0] for key in seen} <= {"you", "home"}
    assert "child 1" not in main_text(results)


def test_each_child_is_asked_about_separately_and_by_number(client: TestClient) -> None:
    page = start(client, "yes", "2")
    members = []
    for _ in range(20):
        keys = asked(page)
        if not keys:
            break
        members.append(keys[0].split(".")[0])
        assert len({key.split(".")[0] for key in keys}) == 1  # one person per page
        if keys[0].startswith("child2"):
            assert "<h1>About child 2</h1>" in page.text
        page = send(client, page, dont_know_to_all(page))
    assert members[0] == "you"
    assert {"partner", "child1", "child2", "home"} <= set(members)


def test_an_answer_already_given_is_carried_and_never_asked_again(client: TestClient) -> None:
    page = start(client, "no", "1")
    page = send(
        client,
        page,
        {
            "q.you.birth_date.day": "1",
            "q.you.birth_date.month": "5",
            "q.you.birth_date.year": "1990",
        },
    )
    form = read_form(page)
    assert form.hidden["a.you.birth_date"] == "1990-05-01"
    assert form.hidden["partner"] == "no"
    assert form.hidden["children"] == "1"
    assert "you.birth_date" not in asked(page)
    assert "you.unemployed" in asked(page)


def test_an_altered_hidden_answer_is_asked_again(client: TestClient) -> None:
    page = start(client, "no", "0")
    altered = post_form(
        client,
        SCREENER.format(lang="en"),
        data={"partner": "no", "children": "0", "a.you.birth_date": "not a date", "step": "2"},
    )
    assert asked(altered) == asked(page) == ["you.birth_date"]


def test_i_do_not_know_leaves_a_benefit_unknown_and_says_what_it_would_need(
    client: TestClient,
) -> None:
    answers = {k: v for k, v in FAMILY.items() if k != "home.household_income"}
    results, seen = walk(client, start(client, "no", "1"), answers)
    assert "home.household_income" in seen
    text = main_text(results)
    assert "What we could not tell" in text
    could_not_tell = text[text.index("What we could not tell") : text.index("What you probably")]
    assert "Child benefit" in could_not_tell
    assert "Yearly household income (your home)" in could_not_tell


# ---------------------------------------------------------------- answers that cannot be used


def test_a_date_that_does_not_exist_is_shown_again_with_its_error(client: TestClient) -> None:
    page = start(client, "no", "0")
    wrong = send(
        client,
        page,
        {
            "q.you.birth_date.day": "31",
            "q.you.birth_date.month": "2",
            "q.you.birth_date.year": "1990",
        },
    )
    assert wrong.status_code == 400
    assert "<title>Error: About you" in wrong.text
    assert (
        '<a href="#q-you-birth_date-day">Date of birth: '
        "Enter a real date, for example 27 3 2007.</a>" in wrong.text
    )
    assert 'id="q-you-birth_date-error"' in wrong.text
    assert 'value="31"' in wrong.text
    assert asked(wrong) == ["you.birth_date"]


def test_an_unanswered_question_asks_for_an_answer_or_i_do_not_know(client: TestClient) -> None:
    page = walk_to(client, "you.unemployed")
    wrong = send(client, page, {})
    assert wrong.status_code == 400
    assert "Choose yes, no or ‘I do not know’." in wrong.text
    assert 'href="#q-you-unemployed-true"' in wrong.text


def test_a_money_answer_in_words_is_refused_in_portuguese(client: TestClient) -> None:
    page = walk_to(client, "you.former_earnings", lang="pt")
    wrong = send(client, page, {"q.you.former_earnings": "mil euros"}, lang="pt")
    assert wrong.status_code == 400
    assert "Escreva o montante em algarismos, por exemplo 600 ou 1250,50." in wrong.text


def walk_to(client: TestClient, wanted: str, lang: str = "en") -> Response:
    """The page that asks ``wanted``, answering the family's answers on the way."""
    page = start(client, "no", "1", lang)
    for _ in range(20):
        keys = asked(page)
        if wanted in keys:
            return page
        assert keys, f"{wanted} was never asked"
        fields = {}
        for key in keys:
            value = FAMILY.get(key, "?")
            if re.fullmatch(r"\d+ \d+ \d+", value):
                day, month, year = value.split()
                fields.update({f"q.{key}.day": day, f"q.{key}.month": month, f"q.{key}.year": year})
            else:
                fields[f"q.{key}"] = value
        page = send(client, page, fields, lang)
    raise AssertionError(f"{wanted} was never asked")


# ---------------------------------------------------------------- results


def test_results_show_each_amount_why_the_law_and_the_figures(client: TestClient) -> None:
    results, _ = walk(client, start(client, "no", "1"), FAMILY)
    assert results.status_code == 200
    text = main_text(results)
    assert "For March 2026" in text
    may_get = text[text.index("What you may get") : text.index("What you probably cannot get")]
    assert "Child benefit €165.00 in March 2026" in may_get
    assert "Unemployment benefit for you €650.00" in may_get
    assert "Yes A child younger than 18 lives with you" in may_get
    assert "Yes Has paid contributions for long enough" in may_get
    assert "Yearly household income limit: €34,000.00" in may_get
    assert "Share of former earnings: 65%" in may_get
    assert "Months of contributions needed: 12 months" in may_get
    assert 'href="/en/services/child-benefit"' in results.text
    assert 'href="https://law.example/family-act"' in results.text
    cannot = text[text.index("What you probably cannot get") :]
    assert "Housing allowance Why not: No You rent your home" in cannot
    assert "This is an estimate, not a decision." in text


def test_results_are_in_portuguese_with_portuguese_amounts(client: TestClient) -> None:
    results, _ = walk(client, start(client, "no", "1", "pt"), FAMILY, "pt")
    text = main_text(results)
    assert "Para março de 2026" in text
    assert "Abono de família 165,00 € em março de 2026" in text
    assert "Subsídio de desemprego para si 650,00 €" in text
    assert "Sim Vive consigo uma criança com menos de 18 anos" in text
    assert "Não Vive numa casa arrendada" in text
    assert 'href="/pt/services/child-benefit"' in results.text
    for english in ("What you may get", "Why you may get it", "Yes ", "The law:"):
        assert english not in text


def test_an_unemployed_person_under_18_is_told_why_not(client: TestClient) -> None:
    answers = {**FAMILY, "you.birth_date": "1 1 2010"}
    results, seen = walk(client, start(client, "no", "0"), answers)
    assert "you.unemployed" not in seen  # too young: never asked
    cannot = main_text(results)[main_text(results).index("What you probably cannot get") :]
    assert "Unemployment benefit Why not: No Is 18 or older" in cannot


def test_the_results_page_is_light(client: TestClient) -> None:
    results, _ = walk(client, start(client, "yes", "6"), FAMILY)
    assert len(results.content) < 100_000


# ---------------------------------------------------------------- the demo country


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_every_benefit_of_the_demo_country_gets_a_result(
    client_demo: TestClient, lang: str
) -> None:
    rules = client_demo.app.state.platform.rules  # type: ignore[attr-defined]
    answers = {
        "you.birth_date": "12 7 1958",
        "you.employment_status": "retired",
        "you.monthly_income": "450",
        "home.tenure": "renter",
        "home.monthly_rent": "400",
    }
    page = start(client_demo, "yes", "1", lang)
    results, seen = walk(client_demo, page, answers, lang)
    assert results.status_code == 200, results.text
    assert len(set(seen)) == len(seen)  # nothing is asked twice
    text = main_text(results)
    for benefit in rules.benefits():
        assert benefit.label[lang] in text, benefit.name


def test_choices_are_shown_with_the_labels_the_rules_give_them(client_demo: TestClient) -> None:
    page = start(client_demo, "no", "0", "pt")
    for _ in range(10):
        if "home.tenure" in asked(page) or not asked(page):
            break
        page = send(
            client_demo,
            page,
            dont_know_to_all(page) | {f"q.{key}.unknown": "yes" for key in asked(page)},
            "pt",
        )
    assert "home.tenure" in asked(page)
    assert "Habitação social arrendada" in page.text
    assert "social_renter" not in main_text(page)


@pytest.fixture(scope="module")
def client_demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("demo"), _env_file=None)  # type: ignore[call-arg]
    with TestClient(create_app(settings), raise_server_exceptions=False) as test:
        yield test


# ---------------------------------------------------------------- reading one answer


@pytest.mark.parametrize(
    ("typed", "language", "cents"),
    [
        ("1250.50", "en", 125050),
        ("1,250.50", "en", 125050),
        ("1,250", "en", 125000),
        ("€ 600", "en", 60000),
        ("1250,50", "pt", 125050),
        ("1.250,50", "pt", 125050),
        ("1 250,5", "pt", 125050),
        ("1.250", "pt", 125000),
        ("12.50", "pt", 1250),
        ("0", "en", 0),
    ],
)
def test_amounts_are_read_as_people_type_them(typed: str, language: str, cents: int) -> None:
    assert read_answer(MONEY, {"value": typed}, language) == cents


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter an amount, or tick ‘I do not know’."),
        ("-5", "Enter an amount of 0 or more."),
        ("ten", "Enter an amount in numbers, such as 600 or 1250.50."),
        ("1.2.3,4,5", "Enter an amount in numbers, such as 600 or 1250.50."),
        ("10.555", "Enter the amount with at most {places} decimal places."),
        ("9999999999", "Enter an amount under {max}."),
    ],
)
def test_amounts_that_cannot_be_read_say_what_to_type(typed: str, message: str) -> None:
    with pytest.raises(AnswerProblem) as problem:
        read_answer(MONEY, {"value": typed}, "en")
    assert problem.value.message == message


def test_dates_name_the_part_to_correct() -> None:
    def part(day: str, month: str, year: str) -> str:
        with pytest.raises(AnswerProblem) as problem:
            read_answer(DATE, {"day": day, "month": month, "year": year}, "en")
        return problem.value.part

    assert part("", "3", "2020") == "day"
    assert part("1", "", "2020") == "month"
    assert part("1", "13", "2020") == "month"
    assert part("30", "2", "2020") == "day"
    assert part("1", "1", "20") == "year"
    assert part("1", "1", "1850") == "year"
    assert read_answer(DATE, {"day": "29", "month": "2", "year": "2024"}, "en").isoformat() == (
        "2024-02-29"
    )


def test_i_do_not_know_is_an_answer_of_every_type() -> None:
    assert read_answer(DATE, {"unknown": "yes"}, "en") is DONT_KNOW
    assert read_answer(INTEGER, {"value": "", "unknown": "yes"}, "en") is DONT_KNOW
    assert read_answer(enumeration("a", "b"), {"value": "?"}, "en") is DONT_KNOW
    with pytest.raises(AnswerProblem) as both:
        read_answer(INTEGER, {"value": "3", "unknown": "yes"}, "en")
    assert both.value.message == "Enter an answer, or tick ‘I do not know’, not both."


def test_rates_are_typed_as_percentages() -> None:
    assert read_answer(RATE, {"value": "65"}, "en") == 650_000
    assert read_answer(RATE, {"value": "12,5 %"}, "pt") == 125_000


def test_whole_numbers_and_choices_are_checked() -> None:
    assert read_answer(INTEGER, {"value": "12"}, "en") == 12
    for typed in ("1.5", "-1", "twelve"):
        with pytest.raises(AnswerProblem):
            read_answer(INTEGER, {"value": typed}, "en")
    assert read_answer(enumeration("owner", "tenant"), {"value": "tenant"}, "en") == "tenant"
    with pytest.raises(AnswerProblem):
        read_answer(enumeration("owner", "tenant"), {"value": "castle"}, "en")
