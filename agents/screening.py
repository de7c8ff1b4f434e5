"""Screen every objective before anything is planned: refuse what is unlawful, flag what is unplannable.

A plan built for "Buy fake reviews and hide them from the FTC" would put the client at legal risk, and
one built for "Make coffee taste blue" would spend money on nothing; both must come back to the
executive with a reason they can act on. Refusals cite the law the wording points at, with its
official source. Patterns live in `agents.knowledge.screening_rules`, laws in `screening_laws`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from agents.knowledge.phrases import Hit, Phrase, Words, language_of, split_phrases, words_of
from agents.knowledge.places import EU_MEMBERS
from agents.knowledge.screening_laws import LAWS, Law
from agents.knowledge.screening_rules import CONCERNS, GROUPS, IMPOSSIBLE, Concern
from agents.knowledge.targets import target_of

__all__ = ["Screening", "screen"]

Status = Literal["ok", "refused", "unclear"]


@dataclass(frozen=True)
class Screening:
    status: Status
    reason: str  # a sentence a person can act on ("" when ok)
    rule: str  # for refused: the law or rule the objective would break
    source_url: str  # official page of that rule ("" unless refused)


OK = Screening("ok", "", "", "")

# A hit right after one of these words is about preventing the practice ("remove fake reviews").
_GUARDS_BEFORE = frozenset("""not no never without avoid avoiding prevent preventing stop stopping remove
    removing detect detecting report reporting flag flagging fight fighting combat combating against eliminate
    block blocking identify spot ban reduce protect protecting anti don doesn won isn aren didn instead rather
    refuse refusing nunca sin contra evitar eliminar detectar denunciar combatir prevenir prohibir nicht kein
    keine keinen keiner nie niemals ohne gegen statt anstatt schutz schutzen pas jamais sans contre eviter
    supprimer detecter signaler lutter bannir refuser plutot lieu""".split())
# German puts the verb last: "gefälschte Bewertungen erkennen und melden".
_GUARDS_AFTER = frozenset("""entfernen melden erkennen bekampfen loschen verhindern vermeiden verbieten
    identifizieren aufdecken vorgehen""".split())
_CUES: dict[str, str] = {
    "uk": """uk; united kingdom; britain; british; england; scotland; wales; london; hmrc; fca; ico; pecr;
        cma; companies house; nhs; ofcom; asa; trading standards; manchester; edinburgh; birmingham""",
    "us": """usa; u s; united states; america; american; ftc; irs; sec; fda; can spam; tcpa; ccpa; california;
        texas; new york; delaware; florida; fincen; finra; ttb; tabc""",
    "de": "dsgvo; bafin; finanzamt; deutschland; germany; german; berlin; munchen; munich; hamburg; uwg; gwb",
    "fr": "cnil; dgccrf; urssaf; amf; acpr; france; paris; lyon; french",
    "es": "aepd; hacienda; cnmv; espana; spain; madrid; barcelona; lssi",
    "eu": "eu; europe; european; gdpr; euipo",
}
_SIGNS = {"£": "uk", "€": "eu"}
_US_CAPS = re.compile(r"\bU\.?S\.?(?:A\.?)?(?![\w.])")  # "US", "U.S." - but not the pronoun "us"


@lru_cache(maxsize=1)
def _compiled() -> dict[str, list[Phrase]]:
    """Every phrase list compiled once: concerns, their topics, cues and impossibilities."""
    table: dict[str, list[Phrase]] = {}
    for concern in CONCERNS:
        table[concern.key] = [Phrase(text, GROUPS) for text in split_phrases(concern.phrases)]
        for topic, block in concern.topics.items():
            table[f"{concern.key}/{topic}"] = [Phrase(text, GROUPS) for text in split_phrases(block)]
    for cue, block in _CUES.items():
        table[f"cue/{cue}"] = [Phrase(text, GROUPS) for text in split_phrases(block)]
    for index, (block, _) in enumerate(IMPOSSIBLE):
        table[f"impossible/{index}"] = [Phrase(text, GROUPS) for text in split_phrases(block)]
    return table


def _guarded(words: Words, hit: Hit) -> bool:
    """Whether the hit is about preventing the practice rather than doing it."""
    tokens = words.tokens
    before = set(tokens[max(0, hit.first - 4):hit.first])
    after = set(tokens[hit.last + 1:hit.last + 3])
    return bool(before & _GUARDS_BEFORE or after & _GUARDS_AFTER)


def _first_hit(key: str, words: Words, guarded: bool = True) -> Hit | None:
    for phrase in _compiled()[key]:
        for hit in phrase.hits(words):
            if not guarded or not _guarded(words, hit):
                return hit
    return None


def _home_cue(country: str | None) -> str:
    """The jurisdiction the company's own country gives an objective that names none."""
    if country == "GB":
        return "uk"
    if country in ("US", "DE", "FR", "ES"):
        return country.lower()
    return "eu" if country in EU_MEMBERS else ""


def _cue_chain(text: str, words: Words, country: str | None = None) -> list[str]:
    """Jurisdictions whose law to cite, most specific first: a regulator, place or currency named in
    the objective, else its language, else the company's country; an English objective of a company
    elsewhere cites `default`, then `us` (so a topic law such as finance/us still applies)."""
    for cue in _CUES:
        if _first_hit(f"cue/{cue}", words, guarded=False):
            break
    else:
        cue = "us" if _US_CAPS.search(text) else next((_SIGNS[sign] for sign in _SIGNS if sign in text), "")
        if not cue:
            language = language_of(text)
            cue = language if language in ("de", "fr", "es") else _home_cue(country)
    if cue in ("de", "fr", "es"):
        return [cue, "eu", "default"]
    if cue:
        return [cue, "default"]
    return ["default", "us"]


def _law(concern: Concern, text: str, words: Words, country: str | None) -> Law:
    chain = _cue_chain(text, words, country)
    topics = [topic for topic in concern.topics
              if _first_hit(f"{concern.key}/{topic}", words, guarded=False)]
    keys = [f"{topic}/{cue}" for topic in topics for cue in chain] + topics + chain
    laws = LAWS[concern.key]
    return next(laws[key] for key in keys if key in laws)


def _impossible(text: str, words: Words) -> str:
    """Why the objective cannot happen as written, or ""."""
    for index, (_, suggestion) in enumerate(IMPOSSIBLE):
        hit = _first_hit(f"impossible/{index}", words, guarded=False)
        if hit is not None:
            return f"'{hit.wording}': {suggestion}."
    target = target_of(text)
    whole_market = {"market", "share", "everyone"} & set(words.tokens)
    if target and target.unit == "%" and target.value > 100 and whole_market:
        return (f"'{target.text}' of a whole market is more than all of it; set a share up to 100%, "
                "for example 'Reach 5% market share in Leeds'.")
    return ""


def screen(text: str, kind: str | None, country: str | None = None) -> Screening:
    """Refused when the objective asks for something unlawful or deceptive; unclear when it names no
    outcome Catalyst can plan (`kind` is None) or cannot happen as written; ok otherwise. A refusal
    cites the law of the place the objective names, else of the company's `country` (ISO code)."""
    words = words_of(text)
    for concern in CONCERNS:
        if _first_hit(concern.key, words) is not None:
            law = _law(concern, text, words, country)
            return Screening("refused", concern.reason, law.rule, law.url)
    why = _impossible(text, words)
    if why:
        return Screening("unclear", why, "", "")
    if kind is None:
        shown = " ".join(text.split())[:80] or "(empty)"
        return Screening(
            "unclear",
            f"Catalyst cannot match '{shown}' to work its team plans (brand, legal, website, marketing "
            "systems, content, campaigns); restate it as an outcome with a number or a deliverable, for "
            "example 'Win 50 new customers in Austin by June' or 'Launch the online shop'.",
            "", "")
    return OK
