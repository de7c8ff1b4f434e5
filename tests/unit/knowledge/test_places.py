"""Location parsing: ISO codes, known cities deciding their qualifiers, and honest ambiguity."""

from __future__ import annotations

import pytest

from agents.knowledge.cities import CITIES
from agents.knowledge.places import Place, country_place, parse_location
from agents.knowledge.places_data import COUNTRIES, REGIONS

US_CODES = (
    "AL",
    "AK",
    "AZ",
    "AR",
    "CA",
    "CO",
    "CT",
    "DE",
    "DC",
    "FL",
    "GA",
    "HI",
    "ID",
    "IL",
    "IN",
    "IA",
    "KS",
    "KY",
    "LA",
    "ME",
    "MD",
    "MA",
    "MI",
    "MN",
    "MS",
    "MO",
    "MT",
    "NE",
    "NV",
    "NH",
    "NJ",
    "NM",
    "NY",
    "NC",
    "ND",
    "OH",
    "OK",
    "OR",
    "PA",
    "RI",
    "SC",
    "SD",
    "TN",
    "TX",
    "UT",
    "VT",
    "VA",
    "WA",
    "WV",
    "WI",
    "WY",
)


@pytest.mark.parametrize(
    ("text", "context", "country", "region"),
    [
        ("Bangalore, IN", "", "IN", "IN-KA"),
        ("Bengaluru, IN", "", "IN", "IN-KA"),
        ("Indianapolis, IN", "", "US", "US-IN"),
        ("London, Ontario", "", "CA", "CA-ON"),
        ("London, ON", "", "CA", "CA-ON"),
        ("London", "", "GB", "GB-ENG"),
        ("London, UK", "", "GB", "GB-ENG"),
        ("Tbilisi, Georgia", "", "GE", None),
        ("Atlanta, Georgia", "", "US", "US-GA"),
        ("Savannah, GA", "", "US", "US-GA"),
        ("Perth, WA", "", "AU", "AU-WA"),
        ("Perth, WA", "We are expanding across the United States from Seattle", "US", "US-WA"),
        ("Perth, Scotland", "", "GB", "GB-SCT"),
        ("Seattle, WA", "", "US", "US-WA"),
        ("Austin, TX", "", "US", "US-TX"),
        ("Austin TX", "", "US", "US-TX"),
        ("Austin, Texas, USA", "", "US", "US-TX"),
        ("Texas", "", "US", "US-TX"),
        ("Portland, OR", "", "US", "US-OR"),
        ("Portland, ME", "", "US", "US-ME"),
        ("Paris", "", "FR", None),
        ("Paris, Texas", "", "US", "US-TX"),
        ("Berlin", "", "DE", "DE-BE"),
        ("Cork", "", "IE", None),
        ("Auckland", "", "NZ", None),
        ("Singapore", "", "SG", None),
        ("Tokyo", "", "JP", None),
        ("Mumbai", "", "IN", "IN-MH"),
        ("Toronto", "", "CA", "CA-ON"),
        ("Sydney", "", "AU", "AU-NSW"),
        ("Dublin", "", "IE", None),
        ("Dublin, Ohio", "", "US", "US-OH"),
        ("Chennai, TN", "", "IN", "IN-TN"),
        ("Nashville, TN", "", "US", "US-TN"),
        ("Washington, DC", "", "US", "US-DC"),
        ("Georgia", "Our office is in Atlanta", "US", "US-GA"),
        ("Georgia", "The team is in Tbilisi", "GE", None),
    ],
)
def test_location_cases(text, context, country, region):
    place = parse_location(text, context)
    assert (place.country_code, place.region_code) == (country, region), place
    assert not place.ambiguous


@pytest.mark.parametrize(
    ("text", "city"),
    [
        ("Zürich", "Zurich"),
        ("Zurich", "Zurich"),
        ("ZURICH", "Zurich"),
        ("München", "Munich"),
        ("Munich", "Munich"),
        ("muenchen", "Munich"),
        ("Malmö", "Malmö"),
        ("Malmo", "Malmö"),
        ("São Paulo", "São Paulo"),
        ("Köln", "Cologne"),
        ("montréal", "Montreal"),
    ],
)
def test_case_and_accents_are_tolerated(text, city):
    place = parse_location(text)
    assert place.city == city and not place.ambiguous


def test_georgia_alone_is_ambiguous_between_country_and_state():
    place = parse_location("Georgia")
    assert place.ambiguous and place.country_code is None and place.region_code is None
    assert "country" in place.note and "US state" in place.note


@pytest.mark.parametrize("text", ["Washington", "CA", "Victoria", "Smallville, WA", "IN"])
def test_unresolved_readings_are_flagged_not_guessed(text):
    place = parse_location(text)
    assert place.ambiguous and place.region_code is None and "could be" in place.note


def test_washington_alone_keeps_the_country_it_is_sure_of():
    place = parse_location("Washington")
    assert place.ambiguous and place.country_code == "US"


@pytest.mark.parametrize("text", ["Nowhereville", "Qwxz, Blorp", ""])
def test_unrecognised_text_is_not_placed(text):
    place = parse_location(text)
    assert place.country_code is None and place.ambiguous
    assert place.note.startswith("could not place") or place.note == "no location given"
    assert place.country_name == "Unknown"


def test_a_city_decides_its_qualifier_and_says_why():
    place = parse_location("Bangalore, IN")
    assert place.label == "Bangalore, India"
    assert "Indiana" in place.note


def test_labels_read_naturally():
    assert parse_location("Austin, TX").label == "Austin, Texas, United States"
    assert parse_location("Tbilisi, Georgia").label == "Tbilisi, Georgia"
    assert parse_location("Austin, TX").country_name == "United States"
    assert parse_location("Texas").city is None


def test_unknown_city_is_placed_by_its_region():
    place = parse_location("Smallville, Texas")
    assert (place.city, place.region_code, place.ambiguous) == ("Smallville", "US-TX", False)


@pytest.mark.parametrize("code", US_CODES)
def test_every_us_state_and_dc_by_code(code):
    assert parse_location(f"Smallville, {code}, USA").region_code == f"US-{code}"


@pytest.mark.parametrize("code", US_CODES)
def test_every_us_state_and_dc_by_name(code):
    name = REGIONS[f"US-{code}"][0] + (" State" if code == "WA" else "")  # plain "Washington" is ambiguous
    assert parse_location(f"{name}, United States").region_code == f"US-{code}"


@pytest.mark.parametrize("iso", [iso for iso in REGIONS if iso[:2] in {"CA", "AU", "IN", "GB", "DE"}])
def test_other_regions_by_name(iso):
    country = COUNTRIES[iso[:2]][0]
    assert parse_location(f"Smallville, {REGIONS[iso][0]}, {country}").region_code == iso


def test_required_indian_states_and_provinces_are_present():
    needed = {
        "IN-KA",
        "IN-MH",
        "IN-DL",
        "IN-TN",
        "IN-TS",
        "IN-UP",
        "IN-BR",
        "IN-WB",
        "IN-MP",
        "IN-RJ",
        "IN-GJ",
        "IN-AP",
        "CA-ON",
        "CA-QC",
        "CA-BC",
        "CA-AB",
        "AU-NSW",
        "AU-VIC",
        "AU-WA",
        "AU-QLD",
        "GB-ENG",
        "GB-SCT",
        "GB-WLS",
        "GB-NIR",
    }
    assert needed <= set(REGIONS)
    assert sum(iso.startswith("CA-") for iso in REGIONS) == 13


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Deutschland", "DE"),
        ("España", "ES"),
        ("México", "MX"),
        ("Nederland", "NL"),
        ("Österreich", "AT"),
        ("Schweiz", "CH"),
        ("Suisse", "CH"),
        ("Italia", "IT"),
        ("Polska", "PL"),
        ("Brasil", "BR"),
        ("Nippon", "JP"),
        ("日本", "JP"),
        ("Éire", "IE"),
        ("Sverige", "SE"),
        ("UK", "GB"),
        ("USA", "US"),
        ("United Arab Emirates", "AE"),
        ("Aotearoa", "NZ"),
    ],
)
def test_country_names_in_english_and_native_spellings(text, country):
    place = parse_location(text)
    assert place.country_code == country and not place.ambiguous


def test_tables_are_large_enough():
    assert len(COUNTRIES) >= 60
    assert len({(name, country) for name, _, country, _ in CITIES}) >= 150
    for name, _, country, region in CITIES:
        assert country in COUNTRIES, name
        assert region is None or (region in REGIONS and region.startswith(country)), name


def test_country_place_and_place_fields():
    place = country_place("DE")
    assert isinstance(place, Place) and place.label == "Germany" and place.region_code is None
    assert parse_location("Austin, TX").region_name == "Texas"
