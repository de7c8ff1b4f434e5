"""A small phrase language for matching objectives written in several languages.

Objectives are free text in English, Spanish, German or French, so matching works on words with
accents and case folded away ("Fidélité" and "fidelite" are the same word). A phrase is written as
words separated by spaces; each word may be:

- ``word``          that exact word
- ``word*``         a word starting with ``word`` (German compounds: ``kundenbindung*``)
- ``*word``         a word ending with ``word`` (``*einführung`` matches "Markteinführung")
- ``*word*``        a word containing ``word``
- ``a|b*``          any of the alternatives
- ``word?``         an optional word
- ``!a|b``          the next word is none of these (checks, consumes nothing)
- ``#``             a number ("200", "10k", "1,500")
- ``..``            up to three other words, never crossing a preposition or conjunction
- ``@group``        any phrase of a named group (``@venue`` for "coffee shop", "cafe", ...)

Punctuation inside words is dropped the same way as in the text, so "501(c)(3)" in a phrase
matches "501(c)(3)" or "501 c 3" in an objective.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

_FOLD = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ı": "i",
                       "’": "'", "‘": "'"})
# Numbers with thousands separators stay one word ("1,500"), so a phrase's `#` covers all of it.
_WORD = re.compile(r"\d{1,3}(?:[,.\u00a0]\d{3})+(?![\d])|[^\W_]+")
_ASCII_WORD = re.compile(r"[a-z0-9]+")
# A gap never runs across these, which keeps a phrase inside one clause of the objective.
_GAP_STOPS = ("on", "at", "from", "for", "to", "with", "in", "into", "of", "and", "or", "but", "by",
              "via", "than", "und", "oder", "fur", "mit", "von", "auf", "bei", "nach", "et", "ou",
              "pour", "avec", "sur", "dans", "par", "y", "o", "para", "con", "por", "desde")
_GAP = r"(?:(?!(?:" + "|".join(_GAP_STOPS) + r") )[a-z0-9]+ ){0,3}"


def fold(text: str) -> str:
    """Lowercase ASCII with accents removed, so accented and plain spellings compare equal."""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_FOLD))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@dataclass(frozen=True)
class Words:
    """An objective as folded words, remembering where each word sits in the original text."""

    text: str
    joined: str  # " word word word " - every word followed by one space
    starts: tuple[int, ...]  # offset of each word in `joined`
    spans: tuple[tuple[int, int], ...]  # (start, end) of each word in `text`

    @property
    def tokens(self) -> list[str]:
        return self.joined.split()

    def original(self, first: int, last: int) -> str:
        """The original wording of words first..last (inclusive), closing any bracket it opened."""
        start, end = self.spans[first][0], self.spans[last][1]
        while self.text.count("(", start, end) > self.text.count(")", start, end) and \
                self.text[end:end + 1] == ")":
            end += 1
        return self.text[start:end]

    def word_at(self, offset: int) -> int:
        """Index of the word that starts at or before `offset` in `joined`."""
        return bisect_right(self.starts, offset) - 1


@lru_cache(maxsize=4096)
def words_of(text: str) -> Words:
    """Split text into folded words; a word whose letters fold into several parts stays one per part."""
    tokens: list[str] = []
    spans: list[tuple[int, int]] = []
    for match in _WORD.finditer(text):
        word = match.group()
        grouped = word[0].isdigit() and not word.isalnum()
        parts = [re.sub(r"\D", "", word)] if grouped else _ASCII_WORD.findall(fold(word))
        for part in parts:
            tokens.append(part)
            spans.append(match.span())
    starts: list[int] = []
    offset = 1
    for token in tokens:
        starts.append(offset)
        offset += len(token) + 1
    joined = " " + " ".join(tokens) + " " if tokens else " "
    return Words(text, joined, tuple(starts), tuple(spans))


def split_phrases(block: str) -> list[str]:
    """Phrases of a ";"-separated block; an alternation may wrap onto the next line after a "|"."""
    joined = re.sub(r"\|\s+", "|", block)
    return [" ".join(raw.split()) for raw in joined.split(";") if raw.strip()]


def _word_regex(word: str) -> str:
    """Regex for one folded word with optional leading/trailing `*`."""
    core = re.escape(word.strip("*"))
    prefix = "[a-z0-9]*" if word.startswith("*") else ""
    suffix = "[a-z0-9]*" if word.endswith("*") and len(word) > 1 else ""
    return prefix + core + suffix


def _fold_word(raw: str) -> list[str]:
    """Fold one written word into the words it becomes in text ("e-commerce" -> "e", "commerce")."""
    star_front, star_back = raw.startswith("*"), raw.endswith("*")
    parts = _ASCII_WORD.findall(fold(raw))
    if not parts:
        return []
    if star_front:
        parts[0] = "*" + parts[0]
    if star_back:
        parts[-1] = parts[-1] + "*"
    return parts


def _option(option: str, groups: Mapping[str, Iterable[str]]) -> str:
    """Regex for one alternative, followed by its space: a word, a number or a group."""
    if option == "#":
        return r"[0-9][a-z0-9]* "
    if option.startswith("@"):
        return "(?:" + "|".join(compile_phrase(member, groups) for member in groups[option[1:]]) + ")"
    parts = _fold_word(option)
    if not parts:
        raise ValueError(f"empty word in phrase: {option!r}")
    return " ".join(_word_regex(part) for part in parts) + " "


def _alternatives(raw: str, groups: Mapping[str, Iterable[str]]) -> str:
    options = raw.split("|")
    if "" in options:
        raise ValueError(f"dangling '|' in phrase word {raw!r}")
    return "(?:" + "|".join(_option(option, groups) for option in options) + ")"


def compile_phrase(phrase: str, groups: Mapping[str, Iterable[str]]) -> str:
    """Regex source for a phrase; it matches inside `Words.joined` starting at a word boundary."""
    pieces: list[str] = []
    for raw in phrase.split():
        if raw == "..":
            pieces.append(_GAP)
        elif raw.startswith("!") and len(raw) > 1:
            pieces.append("(?!" + _alternatives(raw[1:], groups) + ")")
        elif raw.endswith("?") and len(raw) > 1:
            pieces.append(_alternatives(raw[:-1], groups) + "?")
        else:
            pieces.append(_alternatives(raw, groups))
    return "".join(pieces)


@dataclass(frozen=True)
class Hit:
    """Where a phrase matched: word indexes (inclusive) and the original wording."""

    first: int
    last: int
    wording: str

    @property
    def size(self) -> int:
        return self.last - self.first + 1


class Phrase:
    """A compiled phrase, searchable in any number of objectives."""

    def __init__(self, phrase: str, groups: Mapping[str, Iterable[str]]) -> None:
        self.source = phrase
        self._regex = re.compile("(?<= )" + compile_phrase(phrase, groups))

    def __repr__(self) -> str:
        return f"Phrase({self.source!r})"

    def hits(self, words: Words) -> list[Hit]:
        """Every non-overlapping hit, left to right."""
        return [self._hit(match, words) for match in self._regex.finditer(words.joined)
                if match.end() > match.start()]

    def search(self, words: Words) -> Hit | None:
        """The leftmost hit, or None."""
        match = self._regex.search(words.joined)
        return self._hit(match, words) if match and match.end() > match.start() else None

    @staticmethod
    def _hit(match: re.Match[str], words: Words) -> Hit:
        # Every matched word is followed by its space, so the last word ends two characters back.
        first, last = words.word_at(match.start()), words.word_at(match.end() - 2)
        return Hit(first, last, words.original(first, last))


# Function words that tell the four supported languages apart; shared ones count half.
_LANGUAGE_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset("""the a an and to for our with without of in on by new from get more at into is we my
        your their it this that first second them all per every they through using""".split()),
    "es": frozenset("""a el la los las del para con sin una un nuestra nuestro nuestros nuestras y en por al
        mas nueva nuevo nuevos nuevas segundo segunda de que antes lograr conseguir su sus este esta hacia
        como todos todas muy hacer""".split()),
    "de": frozenset("""der die das und fur mit ohne beim ein eine einen einer unsere unser unseren den dem zu
        zur zum im am von auf bis neue neuen mehr vom nach ins erste zweite ist sind sich nicht uber durch
        gegen alle wir als wie bei an auch oder nur kaufen verkaufen""".split()),
    "fr": frozenset("""le la les des du une un pour avec sans notre nos et au aux en sur d l nouvelle nouveau
        nouveaux deuxieme plus dans a de obtenir est sont chez vers leur leurs ces cette ce qui ne pas faire
        tous toutes""".split()),
}
# Word endings typical of one language (folded), worth half a function word.
_LANGUAGE_ENDINGS: dict[str, tuple[str, ...]] = {
    "en": ("ing", "ship", "ness"),
    "es": ("cion", "ciones", "idad", "mente"),
    "de": ("ung", "ungen", "heit", "keit", "schaft", "lich"),
    "fr": ("eur", "eurs", "eux", "ement", "ique"),
}
_LANGUAGE_LETTERS = {"ñ": {"es": 2.0}, "¿": {"es": 2.0}, "¡": {"es": 2.0}, "ä": {"de": 2.0},
                     "ö": {"de": 2.0}, "ü": {"de": 2.0}, "ß": {"de": 2.0}, "è": {"fr": 1.0},
                     "ê": {"fr": 1.0}, "ç": {"fr": 1.0}, "à": {"fr": 1.0}, "â": {"fr": 1.0},
                     "ô": {"fr": 1.0}, "î": {"fr": 1.0}, "û": {"fr": 1.0}, "œ": {"fr": 2.0},
                     "é": {"fr": 0.5, "es": 0.5}, "á": {"es": 1.0}, "í": {"es": 1.0},
                     "ó": {"es": 1.0}, "ú": {"es": 1.0}}


def language_of(text: str, hint: str | None = None) -> str:
    """Best guess at the objective's language from function words and letters; English by default.

    `hint` is the language of the phrase that classified it, which settles short objectives
    such as "Lanzar la tienda online" where the function words alone are ambiguous.
    """
    scores = {language: 0.0 for language in _LANGUAGE_WORDS}
    for token in words_of(text).tokens:
        owners = [language for language, words in _LANGUAGE_WORDS.items() if token in words]
        for language in owners:
            scores[language] += 1.0 / len(owners)
        if not owners and len(token) > 4:
            endings = [language for language, ends in _LANGUAGE_ENDINGS.items() if token.endswith(ends)]
            for language in endings:
                scores[language] += 0.5 / len(endings)
    for char in text.lower():
        for language, weight in _LANGUAGE_LETTERS.get(char, {}).items():
            scores[language] += weight
    if hint in scores:
        scores[hint] += 0.75
    best = max(scores, key=lambda language: (scores[language], language == "en"))
    return best if scores[best] > 0 else (hint or "en")
