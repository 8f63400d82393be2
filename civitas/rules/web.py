"""The screener pages, "check what you may get": anonymous, and no JavaScript needed.

Each page is a form posted to the same address. Earlier answers travel in hidden
fields, so there is no session, no cookie and nothing stored; POST keeps answers out
of addresses and server logs. Which questions to ask and what the answers mean come
from :mod:`civitas.rules.screener`; this module reads forms and renders pages.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from babel.numbers import get_currency_symbol
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from civitas.catalogue import Catalogue
from civitas.core.clock import Clock
from civitas.core.i18n import N_, locale_for
from civitas.core.text import pick
from civitas.rules.periods import Period
from civitas.rules.rulebook import RuleBook
from civitas.rules.screener import (
    MAX_CHILDREN,
    MAX_STEPS,
    YOU,
    AnswerKey,
    Household,
    Question,
    Screener,
    Step,
)
from civitas.rules.screener_answers import (
    DONT_KNOW,
    Answer,
    AnswerProblem,
    carry,
    read_answer,
    read_carried,
)
from civitas.rules.screener_views import ResultsView, describe_member
from civitas.rules.values import Kind
from civitas.rules.variables import Variable
from civitas.web import Renderer
from civitas.web.languages import page_language

SCREENER_PATH = "check-what-you-may-get"
MAX_FIELDS = 1000  # far more than a home of 8 answering every question sends
MAX_RADIOS = 8  # an enumeration with more choices is asked with a select
_PARTS = ("day", "month", "year", "unknown")


@dataclass(frozen=True)
class Problem:
    """A field that needs fixing: its question, the id to link to, and a message template."""

    key: str  # the question's key, or partner / children on the first page
    anchor: str  # the id of the input the error summary links to
    message: str
    params: Mapping[str, object] = field(default_factory=dict)


def screener_router(
    rules: RuleBook, catalogue: Catalogue, renderer: Renderer, clock: Clock
) -> APIRouter:
    router = APIRouter(default_response_class=HTMLResponse)
    screener = Screener(rules)
    languages = catalogue.country.languages
    fallback = catalogue.country.default_language
    currency = catalogue.country.currency

    def checked(lang: str) -> str:
        return page_language(lang, languages)

    def this_month() -> Period:
        today = clock.now().date()
        return Period.month(today.year, today.month)

    def start_page(
        request: Request, lang: str, fields: Mapping[str, str], problems: list[Problem]
    ) -> HTMLResponse:
        return renderer.page(
            request,
            "rules/screener_start.html",
            {
                "fields": fields,
                "problems": problems,
                "max_children": MAX_CHILDREN,
                "benefits": sorted(pick(b.label, lang, fallback) for b in rules.benefits()),
            },
            status_code=400 if problems else 200,
        )

    def questions_page(
        request: Request,
        lang: str,
        household: Household,
        answers: Mapping[AnswerKey, Answer],
        step: Step,
        number: int,
        fields: Mapping[str, str],
        problems: list[Problem],
    ) -> HTMLResponse:
        hidden = [
            ("partner", "yes" if household.partner else "no"),
            ("children", str(household.children)),
            *(
                (f"a.{member}.{name}", carry(value, rules.variable(name).type))
                for (member, name), value in sorted(answers.items())
            ),
            ("asked", " ".join(q.key for q in step.questions)),
            ("step", str(number)),
        ]
        person, child = describe_member(step.member)
        return renderer.page(
            request,
            "rules/screener_questions.html",
            {
                "step": step,
                "person": person,
                "child": child,
                "number": number,
                "hidden": hidden,
                "fields": fields,
                "problems": problems,
                "problem_of": {p.key: p for p in problems},
                "question_text": lambda q: question_text(q, lang, fallback),
                "question_hint": lambda q: pick(q.variable.documentation, lang, fallback),
                "question_label": lambda q: pick(q.variable.label, lang, fallback),
                "options": lambda variable: choice_labels(variable, lang, fallback),
                "max_radios": MAX_RADIOS,
                "option_id": option_id,
                "currency_symbol": get_currency_symbol(currency, locale_for(lang)),
            },
            status_code=400 if problems else 200,
        )

    @router.get(f"/{{lang}}/{SCREENER_PATH}", include_in_schema=False)
    def start(request: Request, lang: str) -> HTMLResponse:
        checked(lang)
        return start_page(request, lang, {}, [])

    @router.post(f"/{{lang}}/{SCREENER_PATH}", include_in_schema=False)
    async def answer(request: Request, lang: str) -> HTMLResponse:
        checked(lang)
        async with request.form(max_fields=MAX_FIELDS, max_files=0) as form:
            fields = {key: value for key, value in form.multi_items() if isinstance(value, str)}
        household, problems = read_household(fields)
        if household is None:
            return start_page(request, lang, fields, problems)
        answers = carried_answers(screener, household, fields)
        asked = asked_questions(screener, household, fields.get("asked", ""))
        number = step_number(fields.get("step", ""))
        if asked:
            given, problems = read_step(asked, fields, lang)
            if problems:
                page = Step(asked[0].variable.entity, asked[0].member, asked)
                return questions_page(
                    request, lang, household, answers, page, number, fields, problems
                )
            answers = {**answers, **given}
        period = this_month()
        evaluation = screener.evaluate(household, answers, period)  # once, for both
        following = screener.next_step(household, answers, period, evaluation)
        if following is not None and number < MAX_STEPS:
            return questions_page(request, lang, household, answers, following, number + 1, {}, [])
        view = ResultsView(
            rules, catalogue, screener.results(household, answers, period, evaluation), lang,
            renderer.translator(lang),
        )  # fmt: skip
        return renderer.page(
            request,
            "rules/screener_results.html",
            {
                "view": view,
                "answered": sum(1 for value in answers.values() if value is not DONT_KNOW),
            },
        )

    return router


def read_household(fields: Mapping[str, str]) -> tuple[Household | None, list[Problem]]:
    """Who lives with the person, from the first page (or its copy in hidden fields)."""
    problems = []
    partner = fields.get("partner", "")
    if partner not in ("yes", "no"):
        problems.append(
            Problem("partner", "partner-yes", N_("Choose yes if you live with a partner."))
        )
    children = fields.get("children", "").strip()
    if not children:
        problems.append(
            Problem(
                "children",
                "children",
                N_("Enter how many children live with you, from 0 to {max}."),
                {"max": MAX_CHILDREN},
            )
        )
    elif not children.isdecimal() or not 0 <= int(children) <= MAX_CHILDREN:
        problems.append(
            Problem(
                "children", "children", N_("Enter a number from 0 to {max}."), {"max": MAX_CHILDREN}
            )
        )
    if problems:
        return None, problems
    return Household(partner == "yes", int(children)), []


def carried_answers(
    screener: Screener, household: Household, fields: Mapping[str, str]
) -> dict[AnswerKey, Answer]:
    """The answers of earlier pages, from hidden fields; altered ones are dropped."""
    answers: dict[AnswerKey, Answer] = {}
    for name, text in fields.items():
        parts = name.split(".")
        if len(parts) != 3 or parts[0] != "a":
            continue
        _, member, variable = parts
        declared = screener.rules.variables.get(variable)
        if declared is None or not screener.is_member(household, declared.entity, member):
            continue
        value = read_carried(declared.type, text)
        if value is not None:
            answers[(member, variable)] = value
    return answers


def asked_questions(screener: Screener, household: Household, asked: str) -> tuple[Question, ...]:
    """The questions of the page being answered, as listed in its hidden field."""
    found = []
    for key in asked.split()[:20]:
        member, _, variable = key.partition(".")
        declared = screener.rules.variables.get(variable)
        if declared is not None and screener.is_member(household, declared.entity, member):
            found.append(Question(declared, member))
    if len({(q.variable.entity, q.member) for q in found}) > 1:
        return ()  # a page is about one person or the home: this was altered
    return tuple(found)


def question_text(question: Question, language: str, fallback: str) -> str:
    """The question as asked: its own words for you, its plain label for anyone else.

    Questions are written to the person filling in the form ("What is your date of
    birth?"); about a partner or a child the label reads right ("Date of birth").
    """
    label = pick(question.variable.label, language, fallback)
    if question.member == YOU:
        return pick(question.variable.question, language, fallback) or label
    return label


def choice_labels(variable: Variable, language: str, fallback: str) -> list[tuple[str, str]]:
    """(value, label) of an enumeration's choices, in the page's language. Without
    labels in the rules the value is shown in words: ``social_renter`` -> "Social renter"."""
    labels = variable.choices or {}
    return [
        (
            choice,
            pick(labels.get(choice), language, fallback) or choice.replace("_", " ").capitalize(),
        )
        for choice in variable.type.choices
    ]


def option_id(choice: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", choice)


def field_id(key: str, part: str = "") -> str:
    """The HTML id of a question's input, or of one part of it (a date's day)."""
    base = "q-" + key.replace(".", "-")
    return f"{base}-{part}" if part else base


def read_step(
    questions: tuple[Question, ...], fields: Mapping[str, str], language: str
) -> tuple[dict[AnswerKey, Answer], list[Problem]]:
    """The answers to one page of questions, or a problem for each one to fix."""
    answers: dict[AnswerKey, Answer] = {}
    problems = []
    for question in questions:
        name = f"q.{question.key}"
        given = {"value": fields.get(name, "")}
        given.update((part, fields.get(f"{name}.{part}", "")) for part in _PARTS)
        try:
            value = read_answer(question.variable.type, given, language)
        except AnswerProblem as problem:
            anchor = field_id(question.key, problem.part or _first_part(question))
            problems.append(Problem(question.key, anchor, problem.message, problem.params))
        else:
            answers[(question.member, question.variable.name)] = value
    return answers, problems


def _first_part(question: Question) -> str:
    """Radios are linked to by their first option; other inputs by their own id."""
    kind = question.variable.type
    if kind.kind is Kind.BOOL:
        return "true"
    if kind.kind is Kind.ENUM and len(kind.choices) <= MAX_RADIOS:
        return option_id(kind.choices[0])
    return ""


def step_number(text: str) -> int:
    """The number of the page being answered; the first page is 1."""
    return int(text) if text.isdecimal() and 0 < int(text) < 1000 else 1
