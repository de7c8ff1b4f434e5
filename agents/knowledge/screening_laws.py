"""The law each screening concern breaks, by the jurisdiction the objective's wording points at.

Keys are jurisdiction cues (us, uk, de, fr, es, eu, default) or "topic/cue" when the law depends on
what the objective is about (alcohol or tobacco, finance or food). Official sources only: eCFR,
uscode.house.gov, legislation.gov.uk, EUR-Lex, gesetze-im-internet.de, Légifrance, BOE and the
regulators' own sites.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Law:
    rule: str
    url: str


def _usc(title: int, section: str) -> str:
    return f"https://uscode.house.gov/view.xhtml?req=granuleid:USC-prelim-title{title}-section{section}"


UCPD = "https://eur-lex.europa.eu/eli/dir/2005/29/oj"
GDPR = "https://eur-lex.europa.eu/eli/reg/2016/679/oj"
FTC_REVIEWS = Law("FTC Trade Regulation Rule on the Use of Consumer Reviews and Testimonials "
                  "(16 CFR Part 465), in force since 21 October 2024",
                  "https://www.ecfr.gov/current/title-16/chapter-I/subchapter-D/part-465")
FOLLOWERS = Law("FTC Rule on Consumer Reviews and Testimonials, 16 CFR § 465.8 (fake indicators of social "
                "media influence), in force since 21 October 2024",
                "https://www.ecfr.gov/current/title-16/chapter-I/subchapter-D/part-465/section-465.8")
PENAL_ES = "https://www.boe.es/buscar/act.php?id=BOE-A-1995-25444"
FSMA = Law("Financial Services and Markets Act 2000, s. 19 (general prohibition) and s. 398 (misleading "
           "the FCA)", "https://www.legislation.gov.uk/ukpga/2000/8/section/19")
OBSTRUCTION = Law("18 U.S.C. § 1505 (obstruction of proceedings before departments and agencies)",
                  _usc(18, "1505"))
EPRIVACY = Law("GDPR Article 6 (lawful basis) and ePrivacy Directive 2002/58/EC Article 13 (consent for "
               "electronic marketing)", "https://eur-lex.europa.eu/eli/dir/2002/58/oj")
FTC_HEALTH = Law("FTC Act sections 5 and 12 (15 U.S.C. §§ 45, 52): false advertising of foods, drugs, "
                 "devices and cosmetics", _usc(15, "52"))
SBA_LICENCES = Law("Federal, state and local licensing of the activity (SBA: Apply for licenses and permits)",
                   "https://www.sba.gov/business-guide/launch-your-business/apply-licenses-permits")
SHERMAN = Law("Sherman Act, section 1 (15 U.S.C. § 1): agreements in restraint of trade", _usc(15, "1"))
ART_101 = Law("Article 101 of the Treaty on the Functioning of the European Union (cartels)",
              "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:12012E101")

LAWS: dict[str, dict[str, Law]] = {
    "fake_reviews": {
        "us": FTC_REVIEWS, "default": FTC_REVIEWS,
        "uk": Law("Digital Markets, Competition and Consumers Act 2024, Schedule 20 (banned practices: fake "
                  "and concealed incentivised reviews), in force since 6 April 2025",
                  "https://www.legislation.gov.uk/ukpga/2024/13/schedule/20"),
        "eu": Law("Unfair Commercial Practices Directive 2005/29/EC, Annex I points 23b and 23c "
                  "(fake consumer reviews)", UCPD),
    },
    "fake_followers": {
        "us": FOLLOWERS, "default": FOLLOWERS,
        "uk": Law("Digital Markets, Competition and Consumers Act 2024, Part 4 Chapter 1 "
                  "(misleading commercial practices)",
                  "https://www.legislation.gov.uk/ukpga/2024/13/part/4/chapter/1"),
        "eu": Law("Unfair Commercial Practices Directive 2005/29/EC, Article 6 (misleading actions)", UCPD),
    },
    "tax_evasion": {
        "us": Law("26 U.S.C. § 7201 (attempt to evade or defeat tax)", _usc(26, "7201")),
        "default": Law("26 U.S.C. § 7201 (attempt to evade or defeat tax)", _usc(26, "7201")),
        "uk": Law("Taxes Management Act 1970, s. 106A (fraudulent evasion of income tax)",
                  "https://www.legislation.gov.uk/ukpga/1970/9/section/106A"),
        "de": Law("§ 370 Abgabenordnung (Steuerhinterziehung)",
                  "https://www.gesetze-im-internet.de/ao_1977/__370.html"),
        "fr": Law("Article 1741 du Code général des impôts (fraude fiscale)",
                  "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000006312980"),
        "es": Law("Artículo 305 del Código Penal (delito contra la Hacienda Pública)", PENAL_ES),
    },
    "bribery": {
        "us": Law("18 U.S.C. § 201 (bribery of public officials)", _usc(18, "201")),
        "default": Law("18 U.S.C. § 201 (bribery of public officials)", _usc(18, "201")),
        "uk": Law("Bribery Act 2010, sections 1 and 6",
                  "https://www.legislation.gov.uk/ukpga/2010/23/contents"),
        "de": Law("§ 334 Strafgesetzbuch (Bestechung)",
                  "https://www.gesetze-im-internet.de/stgb/__334.html"),
        "fr": Law("Article 433-1 du Code pénal (corruption active)",
                  "https://www.legifrance.gouv.fr/codes/id/LEGITEXT000006070719"),
        "es": Law("Artículos 419 a 427 del Código Penal (cohecho)", PENAL_ES),
    },
    "evasion": {
        "fca": FSMA,
        "fda": Law("21 U.S.C. § 331(f) (refusing an FDA inspection is a prohibited act)", _usc(21, "331")),
        "bafin": Law("§ 44 Kreditwesengesetz (information and audits the BaFin may demand)",
                     "https://www.gesetze-im-internet.de/kredwg/__44.html"),
        "us": OBSTRUCTION, "default": OBSTRUCTION,
        "uk": Law("Food Safety Act 1990, s. 33 (obstructing officers) and the equivalent duty in each "
                  "regulator's statute", "https://www.legislation.gov.uk/ukpga/1990/16/section/33"),
        "de": Law("§ 29 Gewerbeordnung (Auskunft und Nachschau: inspections supervised trades must allow)",
                  "https://www.gesetze-im-internet.de/gewo/__29.html"),
        "eu": Law("Regulation (EU) 2017/625, Article 15 (operators must give inspectors access and "
                  "cooperate), and the sector's supervisory law",
                  "https://eur-lex.europa.eu/eli/reg/2017/625/oj"),
    },
    "spam": {
        "us": Law("CAN-SPAM Act (15 U.S.C. §§ 7701–7713), incl. § 7704(b) on harvested addresses; TCPA "
                  "(47 U.S.C. § 227) for texts and calls", _usc(15, "7704")),
        "uk": Law("Privacy and Electronic Communications Regulations 2003, regulation 22 (consent for "
                  "marketing emails and texts)",
                  "https://www.legislation.gov.uk/uksi/2003/2426/regulation/22"),
        "de": Law("§ 7 UWG (unzumutbare Belästigung durch Werbung ohne Einwilligung) and Art. 6 DSGVO",
                  "https://www.gesetze-im-internet.de/uwg_2004/__7.html"),
        "fr": Law("Article L34-5 du Code des postes et des communications électroniques (prospection "
                  "directe sans consentement) et article 6 du RGPD",
                  "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000006465785"),
        "es": Law("Artículo 21 de la Ley 34/2002 (LSSI), comunicaciones comerciales no solicitadas, y "
                  "artículo 6 del RGPD", "https://www.boe.es/buscar/act.php?id=BOE-A-2002-13758"),
        "default": EPRIVACY,
    },
    "personal_data": {
        "us": Law("California Consumer Privacy Act (Cal. Civ. Code § 1798.100 ff.) and CAN-SPAM § 7704(b) "
                  "on harvested addresses", "https://oag.ca.gov/privacy/ccpa"),
        "default": Law("GDPR Article 6 (lawful basis) and Article 14 (informing people whose data was not "
                       "collected from them)", GDPR),
        "uk": Law("UK GDPR Article 6 and Data Protection Act 2018",
                  "https://www.legislation.gov.uk/ukpga/2018/12/contents"),
        "de": Law("Art. 6 DSGVO (Rechtmäßigkeit der Verarbeitung) und Art. 14 DSGVO", GDPR),
        "fr": Law("Article 6 du RGPD (licéité du traitement) et article 14 du RGPD", GDPR),
        "es": Law("Artículo 6 del RGPD (licitud del tratamiento) y artículo 14 del RGPD", GDPR),
    },
    "health_claims": {
        "us": FTC_HEALTH, "default": FTC_HEALTH,
        "uk": Law("Digital Markets, Competition and Consumers Act 2024, Schedule 20 (banned practice: "
                  "falsely claiming a product can cure illnesses)",
                  "https://www.legislation.gov.uk/ukpga/2024/13/schedule/20"),
        "eu": Law("Unfair Commercial Practices Directive 2005/29/EC, Annex I point 17 (falsely claiming a "
                  "product can cure illnesses); for food also Regulation (EU) 1169/2011 Art. 7(3)", UCPD),
    },
    "price_fixing": {
        "us": SHERMAN, "default": SHERMAN, "eu": ART_101,
        "uk": Law("Competition Act 1998, s. 2 (the Chapter I prohibition)",
                  "https://www.legislation.gov.uk/ukpga/1998/41/section/2"),
        "de": Law("§ 1 GWB (Kartellverbot) and Article 101 TFEU",
                  "https://www.gesetze-im-internet.de/gwb/__1.html"),
    },
    "minors": {
        "tobacco/us": Law("Federal Food, Drug, and Cosmetic Act § 906(d)(5) (21 U.S.C. § 387f(d)(5)): no "
                          "tobacco or e-cigarette sales to anyone under 21",
                          _usc(21, "387f")),
        "tobacco/uk": Law("Children and Young Persons Act 1933, s. 7, and the Nicotine Inhaling Products "
                          "(Age of Sale and Proxy Purchasing) Regulations 2015",
                          "https://www.legislation.gov.uk/ukpga/Geo5/23-24/12/section/7"),
        "us": Law("National Minimum Drinking Age Act (23 U.S.C. § 158) and state alcohol laws: no alcohol "
                  "sales to anyone under 21", _usc(23, "158")),
        "default": Law("National Minimum Drinking Age Act (23 U.S.C. § 158) and state alcohol laws: no "
                       "alcohol sales to anyone under 21", _usc(23, "158")),
        "uk": Law("Licensing Act 2003, s. 146 (sale of alcohol to children)",
                  "https://www.legislation.gov.uk/ukpga/2003/17/section/146"),
        "de": Law("§§ 9 und 10 Jugendschutzgesetz (Alkohol, Tabak und E-Zigaretten)",
                  "https://www.gesetze-im-internet.de/juschg/__9.html"),
        "fr": Law("Articles L3342-1 (alcool) et L3512-12 (tabac) du Code de la santé publique",
                  "https://www.legifrance.gouv.fr/codes/id/LEGITEXT000006072665"),
        "es": Law("Ley 28/2005, artículo 3 (tabaco a menores) y la normativa autonómica sobre alcohol",
                  "https://www.boe.es/buscar/act.php?id=BOE-A-2005-21261"),
    },
    "counterfeit": {
        "us": Law("18 U.S.C. § 2320 (trafficking in counterfeit goods) and the Lanham Act",
                  _usc(18, "2320")),
        "default": Law("18 U.S.C. § 2320 (trafficking in counterfeit goods) and the Lanham Act",
                       _usc(18, "2320")),
        "uk": Law("Trade Marks Act 1994, s. 92 (unauthorised use of a trade mark in relation to goods)",
                  "https://www.legislation.gov.uk/ukpga/1994/26/section/92"),
        "eu": Law("Regulation (EU) 2017/1001 on the EU trade mark, Article 9 (rights conferred), and "
                  "national criminal law on counterfeiting",
                  "https://eur-lex.europa.eu/eli/reg/2017/1001/oj"),
    },
    "unlicensed": {
        "finance/uk": FSMA,
        "finance/us": Law("31 U.S.C. § 5330 (registration of money transmitting businesses) and state "
                          "money transmitter licensing laws", _usc(31, "5330")),
        "finance/de": Law("§ 32 Kreditwesengesetz (Erlaubnispflicht) und § 10 ZAG",
                          "https://www.gesetze-im-internet.de/kredwg/__32.html"),
        "finance/eu": Law("Directive (EU) 2015/2366 (PSD2), Article 37, and Directive 2013/36/EU, "
                          "Article 9: no payment or banking services without authorisation",
                          "https://eur-lex.europa.eu/eli/dir/2015/2366/oj"),
        "alcohol/uk": Law("Licensing Act 2003, s. 136 (unauthorised licensable activities)",
                          "https://www.legislation.gov.uk/ukpga/2003/17/section/136"),
        "alcohol/us": Law("27 U.S.C. § 203 (federal basic permits for alcohol businesses) and state "
                          "alcohol licensing", _usc(27, "203")),
        "alcohol/de": Law("§ 2 Gaststättengesetz (Erlaubnis für den Ausschank alkoholischer Getränke)",
                          "https://www.gesetze-im-internet.de/gastg/__2.html"),
        "us": SBA_LICENCES, "default": SBA_LICENCES,
        "uk": Law("The licence or registration the activity needs in the UK (GOV.UK licence finder)",
                  "https://www.gov.uk/licence-finder"),
        "de": Law("§ 144 Gewerbeordnung (Ausübung eines erlaubnispflichtigen Gewerbes ohne Erlaubnis)",
                  "https://www.gesetze-im-internet.de/gewo/__144.html"),
        "es": Law("Ley 17/2009 sobre el libre acceso a las actividades de servicios y la normativa "
                  "municipal de licencias de actividad",
                  "https://www.boe.es/buscar/act.php?id=BOE-A-2009-18731"),
        "fr": Law("Autorisations préalables exigées par la réglementation de l'activité (démarches sur "
                  "entreprendre.service-public.fr)", "https://entreprendre.service-public.fr/"),
    },
}
