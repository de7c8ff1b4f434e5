"""Every quoted figure is dated, sourced and convertible; fee structures match the offices' rules."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from agents.knowledge import formation, licences, trademarks
from agents.knowledge.facts import AS_OF, Fact
from agents.knowledge.formation import entity_advice, formation_fact
from agents.knowledge.nice import INDUSTRIES, classes_for, known_industry
from agents.knowledge.places import country_place, parse_location
from agents.knowledge.rates import RATES, UnknownCurrency, rate, to_usd
from agents.knowledge.trademarks import filing_fact, office_for, registration_months
from agents.knowledge.us_states import STATES

REQUIRED = ("US", "CA", "GB", "IE", "DE", "FR", "ES", "NL", "AU", "NZ", "IN", "SG", "JP")
CURRENCIES = (
    "USD",
    "EUR",
    "GBP",
    "CAD",
    "AUD",
    "NZD",
    "INR",
    "SGD",
    "JPY",
    "CHF",
    "SEK",
    "DKK",
    "NOK",
    "PLN",
    "BRL",
    "MXN",
    "ZAR",
    "AED",
    "KRW",
    "CNY",
    "HKD",
    "GEL",
)


def _all_facts() -> list[Fact]:
    facts = [*trademarks.all_filing_facts(), *formation.all_facts(), *licences.all_facts()]
    for text in ("Austin, TX", "Berlin", "Bangalore", "Edinburgh", "Lagos", "Tokyo"):
        place = parse_location(text)
        for kinds in (set(), {"fundraising"}, {"nonprofit"}):
            facts += entity_advice(place, kinds).facts
        for industry in ("fintech", "dental clinic", "craft brewery", "daycare", "charity", "cannabis"):
            facts += [lic.fact for lic in licences.licences_for(place, industry, kinds) if lic.fact]
    return facts


ALL_FACTS = _all_facts()


@pytest.mark.parametrize("item", ALL_FACTS, ids=lambda item: item.id)
def test_every_fact_is_sourced_dated_and_convertible(item):
    assert item.source_url.startswith("https://") and " " not in item.source_url
    assert date.fromisoformat(item.as_of).isoformat() == item.as_of == AS_OF
    assert isinstance(item.amount, Decimal) and item.amount >= 0
    assert rate(item.currency).currency == item.currency
    assert item.what and item.jurisdiction and item.id.count(":") >= 2
    assert to_usd(item.amount, item.currency) >= 0


def test_fact_ids_are_unique_per_figure():
    seen: dict[str, Fact] = {}
    for item in ALL_FACTS:
        assert seen.setdefault(item.id, item) == item, item.id


def test_rates_cover_required_currencies_on_one_date():
    assert set(CURRENCIES) <= set(RATES)
    assert {fact.as_of for fact in RATES.values()} == {AS_OF}
    assert all(fact.usd_per_unit > 0 and fact.source_url.startswith("https://") for fact in RATES.values())
    assert rate("usd").usd_per_unit == 1 and rate(" eur ").currency == "EUR"


def test_to_usd_rounds_to_the_cent_half_up():
    assert to_usd("0.005", "USD") == Decimal("0.01")
    assert to_usd("1.115", "USD") == Decimal("1.12")
    assert to_usd(100, "EUR") == (100 * rate("EUR").usd_per_unit).quantize(Decimal("0.01"))


@pytest.mark.parametrize("code", ["XYZ", "", "euro"])
def test_unknown_currency_is_a_clear_value_error(code):
    with pytest.raises(UnknownCurrency, match="no planning rate"):
        rate(code)
    assert issubclass(UnknownCurrency, ValueError)


def test_all_states_and_dc_have_both_fees():
    assert len(STATES) == 51 and "DC" in STATES
    for code, state in STATES.items():
        assert state.llc > 0 and state.foreign_corp > 0 and state.source_url.startswith("https://"), code


@pytest.mark.parametrize("code", sorted(STATES))
def test_state_llc_and_qualification_facts(code):
    place = parse_location(f"Smallville, {code}, USA")
    llc, qualification = formation_fact(place, "llc"), formation_fact(place, "foreign-corp")
    assert llc.id == f"formation:US-{code}:llc" and llc.amount == STATES[code].llc
    assert qualification.id == f"qualification:US-{code}:corp"
    assert qualification.amount == STATES[code].foreign_corp
    assert STATES[code].name in llc.jurisdiction


@pytest.mark.parametrize("country", REQUIRED)
def test_required_countries_have_formation_office_and_fees(country):
    place = parse_location("Austin, TX") if country == "US" else country_place(country)
    advice = entity_advice(place, set())
    assert advice.facts and "no formation table" not in advice.facts[0].note
    office = office_for(place)
    assert office.code != "NATIONAL" and office.source_url.startswith("https://")
    amounts = [filing_fact(office, (35, 9, 42, 41)[:count]).amount for count in range(1, 5)]
    assert all(amount > 0 for amount in amounts) and amounts == sorted(amounts)
    low, high = registration_months(office)
    assert 0 < low <= high


@pytest.mark.parametrize(
    ("place", "code", "expected"),
    [
        ("Berlin", "DPMA", ["290", "290", "290", "390"]),
        ("Austin, TX", "USPTO", ["350", "700", "1050", "1400"]),
        ("London", "UKIPO", ["170", "220", "270", "320"]),
        ("Paris", "INPI-FR", ["190", "230", "270", "310"]),
        ("Amsterdam", "BOIP", ["244", "271", "352", "433"]),
        ("Sydney", "IPAU", ["250", "500", "750", "1000"]),
        ("Auckland", "IPONZ", ["100", "200", "300", "400"]),
        ("Mumbai", "CGPDTM", ["4500", "9000", "13500", "18000"]),
        ("Singapore", "IPOS", ["280", "560", "840", "1120"]),
        ("Tokyo", "JPO", ["12000", "20600", "29200", "37800"]),
        ("Zurich", "IPI", ["550", "550", "550", "650"]),
    ],
)
def test_office_fee_structures(place, code, expected):
    office = office_for(parse_location(place))
    assert office.code == code
    facts = [filing_fact(office, tuple(range(1, count + 1))) for count in range(1, 5)]
    assert [str(item.amount) for item in facts] == expected
    assert facts[3].classes == (1, 2, 3, 4) and "4 classes" in facts[3].what and office.name in facts[3].what


def test_dpma_bundle_and_euipo_tiers():
    dpma = office_for(parse_location("Munich"))
    assert [filing_fact(dpma, (35,) * count).amount for count in (1, 3, 4, 5)] == [290, 290, 390, 490]
    eu = office_for(parse_location("Munich"), "We want an EU trademark")
    assert [filing_fact(eu, (35,) * count).amount for count in (1, 2, 3, 4)] == [850, 900, 1050, 1200]
    assert registration_months(eu) == (4, 6) and registration_months(dpma) == (3, 6)


def test_india_uses_the_startup_rate_and_says_so():
    office = office_for(parse_location("Bangalore, IN"))
    assert "startup" in filing_fact(office, (9,)).note.lower()


def test_trademark_filing_needs_a_class():
    with pytest.raises(ValueError):
        filing_fact(office_for(parse_location("Berlin")), ())


@pytest.mark.parametrize(
    ("objectives", "expected"),
    [
        ("", "DPMA"),
        ("Grow sales across Europe next year", "DPMA"),
        ("European expansion of the bakery. Register our trademark in Germany.", "DPMA"),
        ("File an EU trademark for the brand", "EUIPO"),
        ("Secure a European Union trade mark", "EUIPO"),
        ("Unionsmarke anmelden", "EUIPO"),
        ("Déposer une marque de l'Union européenne", "EUIPO"),
        ("Apply for an international trademark through the Madrid Protocol", "WIPO"),
    ],
)
def test_eu_office_only_when_asked(objectives, expected):
    assert office_for(parse_location("Berlin"), objectives).code == expected


def test_registration_months_known_offices():
    assert registration_months(office_for(parse_location("Austin, TX"))) == (12, 18)
    assert registration_months(office_for(parse_location("London"))) == (4, 5)
    for office in trademarks.offices():
        low, high = registration_months(office)
        assert 0 < low <= high <= 36


def test_delaware_c_corp_with_texas_qualification_for_a_seed_raise():
    advice = entity_advice(parse_location("Austin, TX"), {"fundraising"})
    assert advice.entity == "Delaware C-corporation" and "Delaware" in advice.jurisdiction
    by_id = {item.id: item for item in advice.facts}
    assert by_id["formation:US-DE:corp"].amount == 89
    assert by_id["qualification:US-TX:corp"].amount == 750
    assert "Texas" in advice.why and advice.minimum_capital is None


def test_delaware_company_needs_no_foreign_qualification():
    advice = entity_advice(parse_location("Wilmington, DE"), {"fundraising"})
    assert [item.id for item in advice.facts] == ["formation:US-DE:corp"]


def test_without_a_raise_an_llc_in_the_home_state():
    advice = entity_advice(parse_location("Austin, TX"), {"brand"})
    assert advice.entity == "Texas LLC" and [item.amount for item in advice.facts] == [300]


def test_a_new_york_llc_plans_its_publication_dearest_in_new_york_city():
    """Every new New York LLC must publish its formation (two newspapers, six weeks, then a USD 50
    certificate); the newspapers, an estimate, cost most in the city's counties."""
    city = entity_advice(parse_location("Brooklyn, New York"), {"brand"})
    upstate = entity_advice(parse_location("Albany, NY"), {"brand"})
    for advice in (city, upstate):
        assert [item.id for item in advice.facts] == ["formation:US-NY:llc", "formation:US-NY:llc-publication"]
    city_notice, upstate_notice = city.facts[1], upstate.facts[1]
    assert (city_notice.amount, upstate_notice.amount) == (1050, 350)
    assert city_notice.note.startswith("Estimate") and "120 days" in city_notice.note
    assert "New York City" in city_notice.note and "outside New York City" in upstate_notice.note
    corporation = entity_advice(parse_location("Brooklyn, New York"), {"fundraising"})
    assert not any("publication" in item.id for item in corporation.facts)  # the LLC law's rule only


def test_annual_cost_notes_for_known_states():
    notes = {code: formation_fact(parse_location(f"X, {code}, USA"), "llc").note for code in STATES}
    assert "800" in notes["CA"] and "300" in notes["DE"] and "publish" in notes["NY"].lower()
    assert "licence" in notes["NV"] and "500" in notes["MA"] and "per member" in notes["TN"]


def test_us_nonprofit_gets_state_filing_and_irs_fees():
    advice = entity_advice(parse_location("Seattle"), {"nonprofit"})
    amounts = {item.id: item.amount for item in advice.facts}
    assert amounts["irs:US:1023"] == 600 and amounts["irs:US:1023-ez"] == 275
    assert "formation:US-WA:nonprofit" in amounts
    irs = [item for item in advice.facts if item.id.startswith("irs:")]
    assert len(irs) == 2 and all(item.source_url.startswith("https://www.irs.gov/") for item in irs)


def test_minimum_capital_is_a_fact_marked_not_a_fee():
    gmbh = entity_advice(parse_location("Berlin"), set())
    assert gmbh.entity.startswith("GmbH") and gmbh.minimum_capital is not None
    assert gmbh.minimum_capital.amount == 25000 and "paid-in capital, not a fee" in gmbh.minimum_capital.note
    assert gmbh.minimum_capital in gmbh.facts
    assert formation_fact(parse_location("Berlin"), "ug").amount == 400
    assert entity_advice(parse_location("London"), set()).minimum_capital is None


def test_countries_without_a_table_get_a_flagged_estimate():
    item = formation_fact(parse_location("Lagos"), "company")
    assert item.note.startswith("Estimate") and "Nigeria" in item.note
    assert office_for(parse_location("Lagos")).code == "NATIONAL"


def test_japan_raise_points_to_a_kk():
    advice = entity_advice(parse_location("Tokyo"), {"fundraising"})
    assert "Kabushiki Kaisha" in advice.entity and {item.amount for item in advice.facts} >= {150000}


@pytest.mark.parametrize(
    ("industry", "expected"),
    [
        ("Bakery", (30, 43)),
        ("Craft brewery", (32, 43)),
        ("Microbrewery", (32, 43)),
        ("Brauerei", (32, 43)),
        ("Coffee roaster", (30, 43)),
        ("Cafe", (43, 30)),
        ("Restaurant", (43,)),
        ("Software", (9, 42)),
        ("SaaS", (42, 9)),
        ("Furniture", (20, 35)),
        ("Dental clinic", (44,)),
        ("Fashion", (25, 35)),
        ("Cosmetics", (3, 35)),
        ("Jewellery", (14, 35)),
        ("Gym", (41,)),
        ("Education", (41,)),
        ("Fintech", (36, 9)),
        ("Insurance", (36,)),
        ("Real estate", (36,)),
        ("Hotel", (43,)),
        ("Travel agency", (39, 43)),
        ("Legal services", (45,)),
        ("Consulting", (35,)),
        ("Marketing agency", (35,)),
        ("Construction", (37,)),
        ("Cleaning", (37,)),
        ("Logistics", (39,)),
        ("E-commerce retail", (35,)),
        ("Pet products", (31, 35)),
        ("Pet care", (44,)),
        ("Toys", (28,)),
        ("Cannabis", (5, 34)),
        ("Wine", (33,)),
        ("Spirits", (33,)),
        ("Tea", (30,)),
        ("Chocolate", (30,)),
        ("Pharma", (5,)),
        ("Medical devices", (10,)),
        ("Electronics", (9,)),
        ("Video games", (9, 41, 28)),
        ("Music", (41, 9)),
        ("Film", (41,)),
        ("Publishing", (16, 41)),
        ("Photography", (41,)),
        ("Architecture", (42,)),
        ("Solar energy", (37, 9, 40)),
        ("Automotive", (12, 37)),
        ("Bicycles", (12,)),
        ("Florist", (31, 35)),
        ("Agriculture", (31, 44)),
        ("Telecom", (38,)),
        ("Security services", (45,)),
        ("Childcare", (43, 41)),
        ("Veterinary", (44,)),
        ("Charity", (36, 35)),
        ("Events", (41,)),
    ],
)
def test_nice_classes(industry, expected):
    assert classes_for(industry) == expected and known_industry(industry)


def test_unknown_industry_falls_back_to_class_35():
    assert classes_for("Quantum widget foundry") == (35,) and not known_industry("Quantum widget foundry")


def test_nice_table_is_well_formed():
    assert len(INDUSTRIES) >= 40
    for classes, words in INDUSTRIES:
        assert 1 <= len(classes) <= 3 and all(1 <= number <= 45 for number in classes), words


def test_licences_cite_only_the_places_regulators():
    india = licences.licences_for(parse_location("Bangalore"), "dental clinic", set())
    names = " ".join(f"{lic.name} {lic.regulator}" for lic in india)
    assert "Clinical Establishments Act" in names
    assert not any(word in names for word in ("CQC", "HIPAA", "FDA", "FCA", "Care Quality"))
    uk = licences.regulator_names(parse_location("London"), "medical clinic")
    assert any("Care Quality Commission" in name for name in uk)


def test_licence_examples():
    uk_food = licences.licences_for(parse_location("Leeds"), "bakery", set())
    assert uk_food[0].fact is not None and uk_food[0].fact.amount == 0
    brewery = licences.licences_for(parse_location("Austin, TX"), "Craft brewery", set())
    assert any("TTB" in lic.regulator for lic in brewery)
    fssai = licences.licences_for(parse_location("Mumbai"), "restaurant", set())
    assert any("FSSAI" in lic.regulator and lic.fact for lic in fssai)
    unknown = licences.licences_for(parse_location("Lagos"), "fintech", set())
    assert unknown[0].fact is None and "confirm" in unknown[0].why
    assert licences.licences_for(parse_location("Paris"), "SaaS", set()) == ()
    cannabis = licences.licences_for(parse_location("Lagos"), "cannabis", set())
    assert "not lawful" in cannabis[0].why


@pytest.mark.parametrize(("industry", "objectives", "registers"), [
    ("bakery", "Open the shop on Congress Avenue. Sell 200 loaves a week", False),
    ("coffee shop", "Open a second retail location", False),
    ("restaurant", "Launch online table reservations", False),
    ("food truck", "Sell tacos at 3 festivals", False),
    ("bakery", "Supply sourdough wholesale to 12 cafés", True),
    ("packaged food", "Get stocked by 20 grocery stores", True),
    ("snacks", "Get our granola onto supermarket shelves", True),
    ("Craft brewery", "Open the taproom", True),
    ("coffee roaster", "Launch a subscription", True),
])
def test_fda_registration_only_for_food_sold_onward(industry: str, objectives: str, registers: bool) -> None:
    """The FDA registers facilities whose food is sold onward; a shop, café or restaurant selling to its
    own customers is a retail food establishment, exempt (it still needs its local health permit)."""
    found = licences.licences_for(parse_location("Austin, TX"), industry, set(), objectives)
    names = [lic.name for lic in found]
    assert ("FDA food facility registration" in names) is registers
    assert "State or county health permit" in names


@pytest.mark.parametrize(("industry", "permit"), [
    ("craft brewery", "TTB Brewer's Notice"),
    ("brewpub", "TTB Brewer's Notice"),
    ("winery", "TTB basic permit and bonded winery registration"),
    ("cidery", "TTB basic permit and bonded winery registration"),
    ("bourbon distillery", "TTB distilled spirits plant (DSP) permit"),
    ("cocktail bar", None),  # sells alcohol, makes none: the state licence only
])
def test_the_federal_alcohol_permit_is_the_producers_own(industry: str, permit: str | None) -> None:
    found = [lic.name for lic in licences.licences_for(parse_location("Louisville, KY"), industry, set())]
    assert [name for name in found if name.startswith("TTB")] == ([permit] if permit else [])
    assert "State liquor (alcohol) licence" in found


def test_a_licence_objective_is_served_by_the_licence_it_names() -> None:
    found = [{"name": lic.name, "regulator": lic.regulator}
             for lic in licences.licences_for(parse_location("Portland, OR"), "brewery", set())]
    named = licences.licences_named("Secure the TTB brewer's notice for the new fermenters", found)
    assert [found[n]["name"] for n in named] == ["TTB Brewer's Notice"]
    assert licences.licences_named("Get the FDA registration done", found) == [0]
    assert licences.licences_named("Obtain the food establishment permit", found) == []  # names none


@pytest.mark.parametrize(("asked", "entity"), [
    ("Incorporate as a Delaware C-Corp", "Delaware C-corporation"),
    ("Set up the company as a corporation", "Delaware C-corporation"),
    ("Form Acme Inc. in Texas", "Delaware C-corporation"),
    ("Increase sales and register the business", "Texas LLC"),
    ("Win 25 new corporate clients", "Texas LLC"),
])  # fmt: skip
def test_a_us_brief_that_names_a_corporation_gets_one(asked: str, entity: str) -> None:
    """"Incorporate as a Delaware C-Corp" was planned as a Delaware LLC, because no raise was planned."""
    advice = entity_advice(parse_location("Austin, TX"), {"formation"}, asked)
    assert advice.entity == entity
    if entity.endswith("C-corporation"):
        assert "asks for a corporation" in advice.why
        assert len(advice.facts) == 2  # Delaware's filing and Texas's registration of an out-of-state corporation


@pytest.mark.parametrize(("text", "count"), [
    ("a head chef and 4 line cooks", 5),
    ("a CTO, 2 engineers and a designer", 4),
    ("two baristas and a manager", 3),
    ("3 developers", None),  # one count: the target says it
    ("Sales and marketing", None),  # a list, but of nothing counted
])
def test_a_list_of_roles_counts_each_of_them(text: str, count: int | None) -> None:
    from agents.knowledge.targets import listed_count

    assert listed_count(text) == count


def test_other_countries_a_trademark_objective_names_get_their_own_office() -> None:
    toronto = parse_location("Toronto")
    assert [o.code for o in trademarks.offices_for(toronto, "Register the trademark in Canada and the US")] == [
        "CIPO", "USPTO"]
    european = trademarks.offices_for(parse_location("Lyon"), "Register an EU trade mark covering France and Germany")
    assert [o.code for o in european] == ["EUIPO"]  # the EU mark covers its members
    # A country another objective names is no filing.
    assert [o.code for o in trademarks.offices_for(toronto, "Launch in the US. Register the mark")] == ["CIPO"]


@pytest.mark.parametrize(("text", "wanted", "period"), [
    ("Get 40 new patients a month", "40 new patients a month", "month"),
    ("Conseguir 40 pacientes nuevos al mes", "40 pacientes nuevos al mes", "month"),
    ("20 Neukunden pro Woche gewinnen", "20 Neukunden pro Woche", "week"),
    ("Obtenir 30 clients par mois", "30 clients par mois", "month"),
    ("Get 200 customers in a month", "200 customers", None),  # a total, within a month
    ("Reach 500 members by month 6", "500 members", None),
])
def test_a_target_asked_for_each_month_or_week_keeps_its_rate(text: str, wanted: str, period: str | None) -> None:
    from agents.knowledge.targets import rate_of, target_of

    found = target_of(text)
    assert found is not None and found.text == wanted
    assert rate_of(found.text) == period


def test_acquisition_units_are_read_in_four_languages() -> None:
    from agents.knowledge.market import cost_per_acquisition

    assert cost_per_acquisition("pacientes nuevos")[0] == "patient"
    assert cost_per_acquisition("Neukunden")[0] == "customer"
    assert cost_per_acquisition("nouveaux adhérents")[0] == "member"
    assert cost_per_acquisition("new patients") == cost_per_acquisition("Patienten")
