"""Synonyms of each objective kind in English, Spanish, German and French (data for taxonomy.py).

Phrases use the language of `agents.knowledge.phrases`, separated by ";". A phrase starting with
"~" is weak: it names the kind only when no ordinary phrase of any kind matched ("marca" alone is
probably about the brand, but "registrar la marca" is a trademark). Accents are optional.

Here: the order kinds win in, the groups a phrase names with `@group`, and `phrases(kind)`. The
synonyms themselves are in taxonomy_words_company.py (setting the company up) and
taxonomy_words_market.py (going to market).
"""

from __future__ import annotations

from agents.knowledge.phrases import split_phrases
from agents.knowledge.taxonomy_words_company import COMPANY_WORDS
from agents.knowledge.taxonomy_words_market import MARKET_WORDS

# Most specific first: when several kinds match, the earliest in this order wins.
ORDER: tuple[str, ...] = (
    "nonprofit", "security_audit", "product_safety", "licensing", "trademark", "grants", "donations", "fundraising", "volunteers",
    "insurance", "accounting", "contracts", "age_checks", "compliance_privacy", "formation", "trade_show", "events",
    "hiring", "loyalty", "ecommerce", "international", "new_location", "local_listings", "mobile_app",
    "partnerships", "print", "pricing", "advertising", "social", "content_seo", "website", "reviews",
    "b2b_sales", "customer_acquisition", "sales", "awareness", "brand", "launch",
)


def _items(block: str) -> tuple[str, ...]:
    return tuple(split_phrases(block))


GROUPS: dict[str, tuple[str, ...]] = {
    "venue": _items("""location; locations; store; stores; shop; shops; cafe; cafes; coffee shop; coffeehouse;
        espresso bar; branch; branches; outlet; outlets; restaurant*; bakery; bakeries; bar; bars; pub; pubs;
        taproom*; brewpub; clinic*; studio*; gym; gyms; salon*; boutique*; hotel*; office; offices; showroom*;
        kitchen*; bistro*; school*; campus*; winery; tasting room; warehouse*; factory; premises; venue*;
        franchise*; dealership; pharmacy; kiosk*; food truck*; cart; stall*; lounge*; tienda*; sucursal*;
        cafeteria*; restaurante*; panaderia*; clinica*; consultorio*; gimnasio*; oficina*; escuela*; filiale*;
        laden; geschaft*; standort*; backerei*; praxis; buro*; niederlassung*; werkstatt*; schule*; magasin*;
        boulangerie*; cabinet*; clinique*; salle*; bureau*; agence*; succursale*; etablissement*; ecole*;
        point de vente"""),
    "people": _items("""customers; customer; clients; client; patients; patient; users; user; members; member;
        students; guests; subscribers; signups; sign ups; leads; accounts; families; diners; visitors;
        shoppers; buyers; businesses; households; homeowners; players; clientes; pacientes; usuarios;
        miembros; socios; alumnos; estudiantes; huespedes; suscriptores; jugadores; kunden; kundinnen;
        patienten; nutzer; mitglieder; schuler; gaste; abonnenten; spieler; mandanten; klienten; utilisateurs;
        membres; adherents; eleves; etudiants; abonnes; joueurs; inscrits"""),
    "country": _items("""germany; deutschland; allemagne; alemania; france; frankreich; francia; spain;
        spanien; espagne; espana; uk; united kingdom; britain; england; usa; us; u s; united states; america;
        amerika; amerique; estados unidos; etats unis; canada; kanada; mexico; mexiko; mexique; brazil;
        brasil; bresil; brasilien; japan; japon; china; chine; india; inde; indien; australia; australien;
        australie; new zealand; ireland; irland; irlande; irlanda; netherlands; holland; niederlande;
        pays bas; paises bajos; italy; italien; italie; italia; portugal; europe; europa; asia; asien; asie;
        latin america; latam; lateinamerika; amerique latine; middle east; uae; dubai; singapore; singapur;
        singapour; switzerland; schweiz; suisse; suiza; austria; osterreich; autriche; belgium; belgien;
        belgique; belgica; scandinavia; nordics; poland; polen; pologne; polonia; sweden; schweden; korea;
        colombia; chile; argentina; peru; eu"""),
    "demonym": _items("""american; us; u s; uk; british; german; french; spanish; dutch; european; eu; asian;
        japanese; mexican; brazilian; canadian; australian; indian; chinese; italian; irish; nordic;
        latin american; aleman; frances; espanol; estadounidense; europeo; mexicano; brasileno; deutschen;
        franzosischen; amerikanischen; europaischen; us amerikanischen; allemand; americain; europeen;
        espagnol; britannique; japonais"""),
    # What a charity or nonprofit asks the authorities for.
    "np_status": _items("""501 c 3; 501c3; 501 c3; charity; charitable; tax exempt*; nonprofit; non profit;
        not for profit; ngo"""),
    "np_body": _items("""nonprofit; non profit; not for profit; charity; ngo; foundation; 501 c 3; 501c3;
        charitable organisation|organization; association"""),
}

# The synonyms themselves, by domain: setting the company up, and going to market.
WORDS: dict[str, dict[str, str]] = {**COMPANY_WORDS, **MARKET_WORDS}


def phrases(kind: str) -> list[tuple[str, str, bool]]:
    """(language, phrase, weak) for every phrase of `kind`."""
    return [(language, phrase.lstrip("~"), phrase.startswith("~"))
            for language, block in WORDS[kind].items() for phrase in split_phrases(block)]
