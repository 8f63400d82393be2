"""Plain-language checks: each fires on a bad text and stays silent on a good one, in
English and Portuguese."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest

from civitas.catalogue import Catalogue, load_catalogue
from civitas.catalogue.plain_language import (
    CHECKS,
    FORMULAS,
    Finding,
    LanguageRules,
    Severity,
    lint_catalogue,
    lint_text,
    readability_by_language,
)
from civitas.catalogue.plain_language.checks import TextKind
from civitas.catalogue.plain_language.sentences import sentences, words
from civitas.catalogue.plain_language.syllables import english_syllables, portuguese_syllables
from civitas.catalogue.word_lists import available_languages, load_language_rules
from tests.catalogue.minimal_pack import SERVICES, write_pack

LANGUAGES = ("en", "pt")


@pytest.fixture(scope="module")
def rules() -> Mapping[str, LanguageRules]:
    return load_language_rules(LANGUAGES)


def lint_one(
    rules: Mapping[str, LanguageRules],
    language: str,
    value: str,
    kind: TextKind = TextKind.DESCRIPTION,
) -> list[Finding]:
    return lint_text("services[x].description", kind, {language: value}, (language,), rules)


def ids(findings: list[Finding]) -> set[str]:
    return {f.check_id for f in findings}


# -- counting ---------------------------------------------------------------------------


ENGLISH_WORDS = {
    "about": 2, "service": 2, "registration": 4, "certificate": 4, "create": 2, "people": 2,
    "table": 2, "makes": 1, "registered": 3, "needed": 2, "used": 1, "applied": 2, "area": 3,
    "baby": 2, "citizen": 3, "official": 3, "media": 3, "being": 2, "idea": 3, "whole": 1,
    "free": 1, "copies": 2, "year": 1, "organisation": 5, "immediately": 5, "evidence": 3,
    "period": 3, "science": 2, "great": 1, "pension": 2, "social": 2, "guide": 1, "equal": 2,
    "usual": 3, "annual": 3, "previous": 3, "employer": 3, "changes": 2, "licence": 2,
}  # fmt: skip
PORTUGUESE_WORDS = {
    "nascimento": 4, "certidão": 3, "país": 2, "informação": 4, "saúde": 3, "registo": 3,
    "aeroporto": 5, "rua": 2, "dia": 2, "cidadão": 3, "atualizar": 5, "quando": 2, "água": 2,
    "família": 3, "cemitério": 4, "agência": 3, "economia": 5, "série": 2, "coordenação": 5,
    "seu": 1, "quais": 1, "guerra": 2, "bebé": 2,
    "ideia": 3, "também": 2, "caixa": 2, "reúne": 3, "pais": 1, "ao": 1, "mães": 1, "põe": 1,
    "queijo": 2, "saída": 3, "conteúdo": 4,
}  # fmt: skip


@pytest.mark.parametrize(("word", "count"), ENGLISH_WORDS.items())
def test_english_syllables_of_everyday_words_are_counted_right(word: str, count: int) -> None:
    assert english_syllables(word) == count


@pytest.mark.parametrize(("word", "count"), PORTUGUESE_WORDS.items())
def test_portuguese_syllables_split_hiatus_and_keep_diphthongs(word: str, count: int) -> None:
    assert portuguese_syllables(word) == count


def test_sentences_end_at_full_stops_before_capitals_and_at_line_breaks() -> None:
    text = "Bring a photo, e.g. a passport one. Pay 12.50 at portal.gov.vd!\n- Then wait"
    assert sentences(text) == [
        "Bring a photo, e.g. a passport one.",
        "Pay 12.50 at portal.gov.vd!",
        "- Then wait",
    ]


def test_hyphenated_words_and_addresses_count_as_one_word() -> None:
    assert words("Informe-nos em www.gov.vd — já.") == ["Informe-nos", "em", "www.gov.vd", "já"]


# -- readability --------------------------------------------------------------------------


def test_english_flesch_reading_ease_follows_the_formula() -> None:
    text = "The cat sat. The dog ran far away."  # 8 words, 2 sentences, 9 syllables
    expected = 206.835 - 1.015 * 8 / 2 - 84.6 * 9 / 8
    assert FORMULAS["en"].score(text) == pytest.approx(expected)


def test_portuguese_score_is_the_english_formula_plus_42_martins_1996() -> None:
    en, pt = FORMULAS["en"], FORMULAS["pt"]
    assert pt.base - en.base == pytest.approx(42)
    assert (pt.per_word_in_sentence, pt.per_syllable) == (1.015, 84.6)
    text = "O gato comeu. O cão fugiu para longe."  # 8 words, 2 sentences, 13 syllables
    assert pt.score(text) == pytest.approx(248.835 - 1.015 * 8 / 2 - 84.6 * 13 / 8)


LEGALESE_EN = (
    "Applications for the issuance of certification documentation shall be submitted in "
    "writing by "
    "individuals possessing appropriate authorisation, accompanied by identification "
    "documentation."
)
PLAIN_EN = (
    "Tell us about your new baby. You get a birth certificate and the baby's citizen "
    "number. You can do it online in ten minutes."
)
LEGALESE_PT = (
    "A emissão da certidão depende da apresentação prévia da documentação comprovativa da "
    "identificação do interessado, acompanhada da declaração de responsabilidade devidamente "
    "autenticada."
)
PLAIN_PT = (
    "Informe-nos sobre o seu bebé. Recebe a certidão de nascimento e o número de cidadão do "
    "bebé. Pode fazer tudo online em dez minutos."
)


@pytest.mark.parametrize(
    ("language", "hard", "plain"), [("en", LEGALESE_EN, PLAIN_EN), ("pt", LEGALESE_PT, PLAIN_PT)]
)
def test_readability_warns_on_dense_descriptions_and_not_on_plain_ones(
    rules: Mapping[str, LanguageRules], language: str, hard: str, plain: str
) -> None:
    hard_findings = [f for f in lint_one(rules, language, hard) if f.check_id == "readability"]
    assert [f.severity for f in hard_findings] == [Severity.WARNING]
    assert f"aim for {FORMULAS[language].minimum:.0f}" in hard_findings[0].message
    assert "readability" not in ids(lint_one(rules, language, plain))


def test_readability_is_not_scored_on_short_texts_where_one_long_word_decides(
    rules: Mapping[str, LanguageRules],
) -> None:
    score = FORMULAS["pt"].score("Emitimos passaportes e certidões.")
    assert score is not None
    assert score < FORMULAS["pt"].minimum
    assert lint_one(rules, "pt", "Emitimos passaportes e certidões.") == []


# -- sentence and name length -------------------------------------------------------------


def sentence_of(count: int, language: str) -> str:
    word = "você" if language == "pt" else "you"
    return " ".join([word] * count).capitalize() + "."


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("count", "severity"), [(15, None), (20, None), (21, Severity.WARNING), (31, Severity.ERROR)]
)
def test_long_sentences_warn_above_20_words_and_fail_above_30(
    rules: Mapping[str, LanguageRules], language: str, count: int, severity: Severity | None
) -> None:
    found = [
        f.severity
        for f in lint_one(rules, language, sentence_of(count, language))
        if f.check_id == "sentence-length"
    ]
    assert found == ([severity] if severity else [])


def test_a_long_sentence_is_quoted_so_the_author_finds_it(
    rules: Mapping[str, LanguageRules],
) -> None:
    text = "Short one. " + sentence_of(22, "en")
    (finding,) = lint_one(rules, "en", text)
    assert finding.excerpt.startswith("You you")
    assert "Split it" in finding.hint


@pytest.mark.parametrize(
    ("language", "name", "severity"),
    [
        ("en", "Register a birth", None),
        ("pt", "Registar um nascimento", None),
        ("en", "Get help with the cost of your rent", None),
        ("pt", "Certidão de casamento ou de união de facto", None),
        ("en", "Apply for the renewal of your driving licence after seventy", Severity.WARNING),
        ("pt", "Pedido de renovação da carta de condução depois dos setenta", Severity.WARNING),
    ],
)
def test_names_of_up_to_8_words_are_fine_and_longer_ones_warn(
    rules: Mapping[str, LanguageRules], language: str, name: str, severity: Severity | None
) -> None:
    found = [
        f.severity
        for f in lint_one(rules, language, name, TextKind.NAME)
        if f.check_id == "name-length"
    ]
    assert found == ([severity] if severity else [])


def test_a_name_of_15_words_is_an_error(rules: Mapping[str, LanguageRules]) -> None:
    name = "Apply " + " ".join(["now"] * 14)
    (finding,) = lint_one(rules, "en", name, TextKind.NAME)
    assert (finding.check_id, finding.severity) == ("name-length", Severity.ERROR)


def test_names_are_not_checked_for_sentences_or_passive_voice(
    rules: Mapping[str, LanguageRules],
) -> None:
    assert lint_one(rules, "en", "Birth registered", TextKind.NAME) == []


# -- jargon ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "text", "found", "plain"),
    [
        ("en", "Pursuant to the act, you can apply online.", "Pursuant to", "'under'"),
        ("en", "You must utilise the form we send you.", "utilise", "'use'"),
        ("en", "Your claim will commence on Monday.", "commence", "'start'"),
        ("en", "Send it to us prior to the interview.", "prior to", "'before'"),
        ("pt", "O pedido é feito mediante a apresentação do cartão.", "mediante", "'com'"),
        ("pt", "Nos termos da lei, pode pedir o abono.", "Nos termos da", "'segundo'"),
        ("pt", "Deve efetuar o pagamento no balcão.", "efetuar", "'fazer'"),
        ("pt", "Traga o documento supracitado.", "supracitado", "'este'"),
        ("pt", "Outrossim, deve trazer uma fotografia.", "Outrossim", "'também'"),
    ],
)
def test_jargon_is_an_error_with_the_plain_word_in_the_hint(
    rules: Mapping[str, LanguageRules], language: str, text: str, found: str, plain: str
) -> None:
    (finding,) = [f for f in lint_one(rules, language, text) if f.check_id == "jargon"]
    assert finding.severity is Severity.ERROR
    assert f"'{found}'" in finding.message
    assert plain in finding.hint
    assert found in finding.excerpt


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Use the form we send you. The water is shallow."),
        ("en", "Start your claim before Monday."),
        ("pt", "Traga o seu cartão. Pagamos em dez dias."),
        ("pt", "O intermediário envia o pedido segundo a lei."),
        ("pt", "Encontra-se com um assistente social."),  # meets: not "is"
    ],
)
def test_plain_words_and_words_containing_jargon_are_not_jargon(
    rules: Mapping[str, LanguageRules], language: str, text: str
) -> None:
    assert "jargon" not in ids(lint_one(rules, language, text))


def test_milder_formal_words_are_warnings(rules: Mapping[str, LanguageRules]) -> None:
    (finding,) = lint_one(rules, "en", "You can obtain a copy online.")
    assert (finding.check_id, finding.severity) == ("jargon", Severity.WARNING)
    assert "'get'" in finding.hint
    (finding,) = lint_one(rules, "pt", "Entregue o requerimento no balcão.")
    assert (finding.check_id, finding.severity) == ("jargon", Severity.WARNING)
    assert "'pedido'" in finding.hint
    (finding,) = lint_one(rules, "pt", "O balcão encontra-se aberto ao sábado.")
    assert (finding.check_id, finding.severity) == ("jargon", Severity.WARNING)
    assert "'está'" in finding.hint


# -- passive voice --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "text", "phrase"),
    [
        ("en", "Your card is sent by post.", "is sent"),
        ("en", "The form was checked by the registry.", "was checked"),
        ("en", "Your card is usually posted within 5 days.", "is usually posted"),
        ("en", "The certificate was written in English.", "was written"),
        ("en", "Payments are not made at weekends.", "are not made"),
        ("pt", "O cartão é enviado pelo correio.", "é enviado"),
        ("pt", "O seu pedido foi aprovado ontem.", "foi aprovado"),
        ("pt", "O abono é pago todos os meses.", "é pago"),
        ("pt", "O documento pode ser entregue no balcão.", "ser entregue"),
        ("pt", "O cartão é normalmente emitido em cinco dias.", "é normalmente emitido"),
        ("pt", "Os dados são incluídos no registo.", "são incluídos"),
    ],
)
def test_passive_voice_is_a_warning_with_an_active_example(
    rules: Mapping[str, LanguageRules], language: str, text: str, phrase: str
) -> None:
    (finding,) = lint_one(rules, language, text)
    assert (finding.check_id, finding.severity) == ("passive-voice", Severity.WARNING)
    assert f"'{phrase}'" in finding.message
    assert ("We send your card" if language == "en" else "Enviamos o cartão") in finding.hint


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "We send your card by post."),
        ("en", "The office is closed on Sundays."),
        ("en", "Tell us when your baby is born."),
        ("en", "You are married or in a civil partnership."),
        ("en", "Registering a birth is free."),
        ("pt", "Enviamos o cartão pelo correio."),
        ("pt", "O cartão é válido por dez anos."),
        ("pt", "O balcão está fechado ao domingo."),
        ("pt", "O registo é gratuito."),
        ("pt", "Se for casado, traga a certidão."),
        ("pt", "O custo é reduzido para estudantes."),
        ("pt", "A consulta é rápida."),
    ],
)
def test_active_sentences_and_common_adjectives_are_not_passive(
    rules: Mapping[str, LanguageRules], language: str, text: str
) -> None:
    assert "passive-voice" not in ids(lint_one(rules, language, text))


# -- empty and untranslated -----------------------------------------------------------------


def test_empty_and_missing_texts_are_errors(rules: Mapping[str, LanguageRules]) -> None:
    findings = lint_text(
        "services[x].description", TextKind.DESCRIPTION, {"en": "   "}, LANGUAGES, rules
    )
    assert [(f.check_id, f.severity, f.path) for f in findings] == [
        ("empty-text", Severity.ERROR, "services[x].description.en"),
        ("empty-text", Severity.ERROR, "services[x].description.pt"),
    ]
    assert "missing" in findings[1].message


def test_a_description_left_in_english_is_reported_on_the_portuguese_text(
    rules: Mapping[str, LanguageRules],
) -> None:
    text = {"en": "Tell us about your baby.", "pt": "Tell us about your  baby."}
    (finding,) = lint_text("services[x].description", TextKind.DESCRIPTION, text, LANGUAGES, rules)
    assert (finding.check_id, finding.severity) == ("untranslated", Severity.ERROR)
    assert finding.path == "services[x].description.pt"
    assert finding.hint == "Translate it into pt."


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        (TextKind.NAME, {"en": "Valdoria", "pt": "Valdoria"}),
        (TextKind.DESCRIPTION, {"en": "Online.", "pt": "Online."}),
        (TextKind.DESCRIPTION, {"en": "Tell us about your baby.", "pt": "Fale-nos do bebé."}),
        (TextKind.ADDRESS, {"en": "1 Main Street, Porto Alto", "pt": "1 Main Street, Porto Alto"}),
    ],
)
def test_short_names_translations_and_addresses_are_not_untranslated(
    rules: Mapping[str, LanguageRules], kind: TextKind, text: dict[str, str]
) -> None:
    assert lint_text("x.name", kind, text, LANGUAGES, rules) == []


def test_a_long_name_left_untranslated_is_only_a_warning(
    rules: Mapping[str, LanguageRules],
) -> None:
    text = {"en": "Valdoria Business Growth Fund", "pt": "Valdoria Business Growth Fund"}
    (finding,) = lint_text("x.name", TextKind.NAME, text, LANGUAGES, rules)
    assert (finding.check_id, finding.severity) == ("untranslated", Severity.WARNING)


# -- the whole catalogue --------------------------------------------------------------------


def test_a_clean_catalogue_has_no_findings(
    tmp_path: Path, rules: Mapping[str, LanguageRules]
) -> None:
    catalogue = load_catalogue(write_pack(tmp_path))
    assert lint_catalogue(catalogue, rules) == []


def test_findings_name_the_text_by_ids_down_to_the_language(
    tmp_path: Path, rules: Mapping[str, LanguageRules]
) -> None:
    service = {**SERVICES[0]}
    service["channels"] = [
        {
            "id": "get-a-record-web",
            "type": "web",
            "description": {"en": "Apply online.", "pt": "Peça online mediante registo."},
        }
    ]
    catalogue = load_catalogue(write_pack(tmp_path, services=[service]))
    (finding,) = lint_catalogue(catalogue, rules)
    assert finding.path == "services[get-a-record].channels[get-a-record-web].description.pt"
    assert finding.text_path == "services[get-a-record].channels[get-a-record-web].description"
    assert finding.language == "pt"


def test_a_language_without_word_lists_still_gets_the_other_checks() -> None:
    findings = lint_text(
        "x.description", TextKind.DESCRIPTION, {"fr": sentence_of(31, "fr")}, ("fr",), {}
    )
    assert ids(findings) == {"sentence-length"}


def test_every_reported_check_id_is_documented(rules: Mapping[str, LanguageRules]) -> None:
    bad = {"en": LEGALESE_EN + " " + sentence_of(35, "en"), "pt": ""}
    found = ids(lint_text("x.description", TextKind.DESCRIPTION, bad, LANGUAGES, rules))
    assert found == {"sentence-length", "readability", "jargon", "passive-voice", "empty-text"}
    assert found <= set(CHECKS)


def test_word_lists_ship_for_english_and_portuguese() -> None:
    assert set(available_languages()) >= {"en", "pt"}


# -- the demo pack --------------------------------------------------------------------------


def test_the_demo_pack_has_no_plain_language_errors(
    demo_catalogue: Catalogue, rules: Mapping[str, LanguageRules]
) -> None:
    errors = [f for f in lint_catalogue(demo_catalogue, rules) if f.severity is Severity.ERROR]
    assert errors == []


def test_the_demo_pack_reads_easily_in_both_languages_as_a_whole(
    demo_catalogue: Catalogue,
) -> None:
    scores = readability_by_language(demo_catalogue)
    assert set(scores) == {"en", "pt"}
    assert all(score >= 60 for score in scores.values()), scores


def test_requirements_are_named_by_a_sentence_and_checked_as_one(
    tmp_path: Path, rules: Mapping[str, LanguageRules]
) -> None:
    condition = "You worked for 12 months in the last 2 years"  # 10 words: fine as a sentence
    service = {
        **SERVICES[0],
        "requirements": [
            {
                "id": "worked",
                "name": {"en": condition, "pt": "Trabalhou 12 meses nos últimos 2 anos"},
                "description": {"en": "Ask your employer.", "pt": "Pergunte ao seu patrão."},
            }
        ],
    }
    catalogue = load_catalogue(write_pack(tmp_path, services=[service]))
    assert lint_catalogue(catalogue, rules) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_jargon_form_is_found_and_has_advice(
    rules: Mapping[str, LanguageRules], language: str
) -> None:
    for entry in rules[language].jargon:
        assert entry.plain or entry.advice, entry
        for form in entry.words:
            assert entry.pattern.fullmatch(form.upper()), form
