"""Syllable counts for the readability formulas, by spelling rules (no dictionary).

Why not a hyphenation dictionary (pyphen) or textstat: hyphenation never leaves one
letter alone at a line break, so it undercounts syllables such as *a-rea*, *i-dea*,
*pa-ís* and *sa-ú-de*; textstat counts English syllables with the NLTK CMU
dictionary, which it downloads on first use. These rules need no data and no
network, and are right for the everyday words of public-service texts (see the
word lists in tests/catalogue/test_plain_language.py).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

_EN_VOWEL_GROUPS = re.compile(r"[aeiouy]+")
# Two vowels read apart although written together: me-di-a, pe-ri-od, u-su-al, sci-ence,
# be-ing, em-ploy-er, i-de-a (but so-cial, na-tion, e-qual, ea in read).
_EN_HIATUS = re.compile(
    r"(?<![ctsgx])ia(?!ge)|(?<![ctsgx])io(?!n)|(?<![qg])ua|ien[ct]|iet|[aeiou]ing|[aeiou]y[aeiou]|ea$"
)
_EN_EXCEPTIONS = {
    "business": 2,
    "businesses": 3,
    "create": 2,
    "created": 3,
    "creates": 2,
    "creating": 3,
    "creation": 3,
    "every": 2,
    "everyone": 3,
    "everything": 3,
    "real": 1,
    "really": 2,
}


def english_syllables(word: str) -> int:
    """Syllables of an English word, by vowel groups with the common silent endings."""
    w = re.sub(r"[^a-z]", "", word.lower())
    if not w:
        return 0
    if w in _EN_EXCEPTIONS:
        return _EN_EXCEPTIONS[w]
    if len(w) <= 3:
        return 1
    w = re.sub(r"^y", "", w)  # a leading y is a consonant: year, you
    count = len(_EN_VOWEL_GROUPS.findall(w)) + len(_EN_HIATUS.findall(w))
    if count > 1:
        if re.search(r"[^aeiouy]e$", w) and not re.search(r"[^aeiouy]le$", w):
            count -= 1  # silent final e: make, service (but ta-ble)
        elif re.search(r"[^aeiouysxzcgh]es$", w):
            count -= 1  # makes, lines (but ser-vi-ces, box-es)
        elif re.search(r"[^aeiouytd]ed$", w):
            count -= 1  # registered, used (but need-ed)
        elif re.search(r"[^aeiouy]ely$", w):
            count -= 1  # lately, immediately
    return max(1, count)


_PT_VOWELS = set("aeiouáéíóúâêôãõàü")
_PT_GLIDES = set("iu")  # unstressed i/u after a vowel close a falling diphthong: pai, meu
# A word stressed before an ending in i/u + vowel (the accent shows it) ends in a rising
# diphthong, one syllable: família, cemitério, água (but di-a, e-co-no-mi-a, ru-a).
_PT_FINAL_RISING = re.compile(r"[áéíóúâêô][^aeiouáéíóúâêôãõ]+[iu][aeo]s?$")


def portuguese_syllables(word: str) -> int:
    """Syllables of a Portuguese word: one per vowel nucleus.

    A vowel group is one syllable when it is a diphthong (a vowel then an unstressed
    i or u: pai, meu, cou-ve; the nasal ão, ãe, õe; ao; a final unstressed ia, io, ua:
    fa-mí-lia) and splits otherwise: di-a, ru-a, sa-ú-de, pa-ís, a-e-ro-por-to. The u of
    qu/gu before a vowel is silent.
    """
    w = unicodedata.normalize("NFC", word.lower())
    w = re.sub(r"(?<=[qg])u(?=[aeioáéíóâêô])", "", w)
    w = re.sub(r"[^a-záéíóúâêôãõàüç]", "", w)
    count = 0
    previous = ""  # the last vowel, or "" after a consonant
    closed = False  # the current syllable already has a diphthong
    for letter in w:
        if letter not in _PT_VOWELS:
            previous, closed = "", False
            continue
        glide = (
            bool(previous)
            and not closed
            and (
                letter in _PT_GLIDES
                or (previous in "ãõ" and letter in "eo")
                or (previous == "a" and letter == "o")
            )
        )
        if glide:
            closed = True
        else:
            count += 1
            closed = False
        previous = letter
    if count > 1 and _PT_FINAL_RISING.search(w):
        count -= 1  # fa-mí-lia, a-gên-cia, ce-mi-té-rio: said as one syllable
    return max(1, count) if w else 0


SYLLABLE_COUNTERS: dict[str, Callable[[str], int]] = {
    "en": english_syllables,
    "pt": portuguese_syllables,
}
