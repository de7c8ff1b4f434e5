"""What Catalyst refuses to plan, how each request is worded in four languages, and the law it breaks.

Data for `agents.screening`. Phrases use `agents.knowledge.phrases`, separated by ";". Each concern
cites the rule of the jurisdiction its wording points at (a regulator, a country, the language),
falling back to `default`. Official sources only: eCFR, uscode.house.gov, legislation.gov.uk,
EUR-Lex, gesetze-im-internet.de, Légifrance, BOE and the regulators' own sites.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Law:
    rule: str
    url: str


@dataclass(frozen=True)
class Concern:
    key: str
    reason: str  # what Catalyst will not do and what to ask for instead
    phrases: str
    # By jurisdiction cue (us, uk, de, fr, es, eu, default), or "topic/cue" when the law depends on
    # what the objective is about (alcohol or tobacco, finance or food).
    laws: dict[str, Law]
    topics: dict[str, str] = field(default_factory=dict)  # topic -> ";"-separated phrases


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
GROUPS: dict[str, tuple[str, ...]] = {
    "authority": tuple("""ftc fca sec fda cfpb finra fincen ofcom cma asa ico osha epa usda ttb tabc fssai
        regulator regulators inspector inspectors inspection inspections auditor auditors authorities
        authority police customs council bafin gewerbeaufsicht ordnungsamt gesundheitsamt zoll behorde
        behorden aufsicht lebensmittelkontrolle kontrolleur kontrolleure cnil dgccrf acpr amf douane douanes
        inspecteur inspecteurs autorites regulateur controle controles controleur aepd cnmv inspeccion
        inspector inspectores autoridad autoridades regulador cofepris profeco aduana asic austrac""".split())
    + ("trading standards", "health department", "health inspector*", "licensing board"),
    "taxman": tuple("""irs hmrc taxman cra ato iras finanzamt fiskus hacienda fisc impots dgfip urssaf sars
        sat""".split()) + ("tax man", "tax office", "tax authorit*", "agencia tributaria", "revenue agency"),
    "contact_kind": ("email", "e-mail", "mailing", "contact", "phone", "sms", "text", "prospect",
                     "consumer", "marketing", "cold", "lead", "b2b"),
    "contacts": ("emails", "email addresses", "e-mail addresses", "addresses", "contacts", "phone numbers",
                 "numbers", "mobile numbers", "leads", "prospects"),
    "disease": tuple("""cancer cancers diabetes covid* coronavirus alzheimer* dementia arthritis autism adhd
        depression anxiety hiv aids asthma eczema psoriasis infertility obesity hypertension parkinson* krebs
        demenz arthrose rheuma diabete sida vih asma ansiedad depresion""".split())
    + ("heart disease", "high blood pressure", "multiple sclerosis"),
    "restricted": tuple("""alcohol alcoholic beer* wine* spirits liquor cocktails booze vape* vaping ecig*
        tobacco cigarette* cigar* nicotine cannabis weed gambling betting alkohol bier wein schnaps tabak
        zigarette* glucksspiel* alcool biere vin vins tabac vapoteuse* cerveza* vino* licor* tabaco
        cigarrillo* vapeador* apuestas""".split()) + ("e cigarette*", "e zigarette*", "jeux d argent"),
    "minors": tuple("""minors kids children teens teenagers underage pupils schoolkids minderjahrig*
        jugendlich* kinder schuler* mineurs enfants ados adolescents lyceens collegiens menores ninos
        adolescentes""".split()) + ("under 18s", "under 21s", "under 18", "under 21", "high schoolers"),
}

CONCERNS: tuple[Concern, ...] = (
    Concern(
        "fake_reviews",
        "Catalyst will not plan fake, bought or praise-for-reward reviews or testimonials; ask every real "
        "customer for an honest review instead, for example with a follow-up message after each purchase.",
        """fake|false|bogus|fabricated|invented|phony|fictitious .. review*|testimonial*|ratings|endorsement*;
        made up .. review*|testimonial*; buy*|bought|purchas* .. review*|ratings|testimonial*|stars;
        paid|bought|purchased review*|ratings|testimonials; pay* .. for .. review*|ratings|stars|testimonial*;
        pay* .. reviewers; in exchange for .. 5|five|positive|good .. review*|rating*|stars;
        5|five|positive .. review*|ratings|stars in exchange;
        discount|free|reward|gift .. for .. 5|five|positive|good .. review*;
        pose|posing|pretend* .. as .. customers|patients|clients|guests|users; astroturf*; sock puppet*;
        sockpuppet*; fake accounts|profiles|customers|personas; review swap*; review exchange*; review gating;
        suppress*|hide|bury|delete|censor .. negative|bad|critical .. review*;
        resena*|opinion*|valoracion*|testimonio* falsa*|falso*|compradas|comprados|pagadas|pagados|inventada*;
        falsa*|falso* .. resena*|opinion*|valoracion*|testimonio*;
        comprar|compramos .. resena*|opiniones|valoraciones|estrellas;
        pagar|pagamos por .. resena*|opiniones|valoraciones; inventar .. resena*|opiniones|testimonios;
        cuentas|perfiles falsas|falsos; hacerse|hacernos pasar por clientes;
        ocultar|borrar .. resenas|opiniones negativas|malas;
        gefalscht*|gefakt*|fake|falsch*|erfunden*|gekauft*|bezahlt* .. bewertung*|rezension*|sterne;
        bewertung*|rezension*|sterne .. kaufen;
        negative|schlechte bewertungen .. loschen|unterdrucken|verstecken;
        faux|fausses|bidon .. avis|commentaires|temoignages|notes; avis .. faux|bidon|fictifs|achetes|payes;
        acheter|achat|achetons .. avis|commentaires|etoiles; payer .. pour .. avis; faux comptes|profils;
        se faire passer pour .. clients; cacher|masquer .. avis negatifs""",
        {"us": FTC_REVIEWS, "default": FTC_REVIEWS,
         "uk": Law("Digital Markets, Competition and Consumers Act 2024, Schedule 20 (banned practices: fake "
                   "and concealed incentivised reviews), in force since 6 April 2025",
                   "https://www.legislation.gov.uk/ukpga/2024/13/schedule/20"),
         "eu": Law("Unfair Commercial Practices Directive 2005/29/EC, Annex I points 23b and 23c "
                   "(fake consumer reviews)", UCPD)},
    ),
    Concern(
        "fake_followers",
        "Catalyst will not plan bought followers, likes or views; grow the audience with regular posts, "
        "collaborations, or paid promotion that is labelled as advertising.",
        """fake|bot|bought|purchased|paid .. followers|likes|views|subscribers|engagement|retweets|fans;
        buy*|purchas*|bought .. followers|likes|views|subscribers|engagement|retweets|comments|fans|streams;
        follower bots; bots .. followers|likes|engagement; click|like farm*;
        inflate .. followers|follower|likes|views|engagement|metrics;
        comprar|compramos .. seguidores|likes|suscriptores|vistas; comprar me gusta;
        seguidores falsos|comprados; bots .. seguidores; follower*|likes|abonnenten|aufrufe .. kaufen;
        gekauft*|gefalscht*|fake follower*|likes|abonnenten;
        acheter|achat .. abonnes|followers|likes|vues|fans; faux abonnes|followers|likes; abonnes achetes""",
        {"us": FOLLOWERS, "default": FOLLOWERS,
         "uk": Law("Digital Markets, Competition and Consumers Act 2024, Part 4 Chapter 1 "
                   "(misleading commercial practices)",
                   "https://www.legislation.gov.uk/ukpga/2024/13/part/4/chapter/1"),
         "eu": Law("Unfair Commercial Practices Directive 2005/29/EC, Article 6 (misleading actions)", UCPD)},
    ),
    Concern(
        "tax_evasion",
        "Catalyst will not plan hiding income or evading tax; restate it as a lawful goal such as "
        "'Set up bookkeeping and claim the tax reliefs we qualify for'.",
        """evade|evading|dodge|dodging .. tax*|vat|gst; tax evasion|fraud; avoid paying .. tax*|vat|gst;
        not|never pay .. tax*|vat|gst; don t pay .. tax*|vat|gst; hide|conceal|keep .. from .. the? @taxman;
        hide|conceal .. income|revenue|earnings|profits|sales|cash|takings|tips; off the books;
        under the table; cash in hand; undeclared; not|never declare*; don t declare; without declaring;
        unreported income|cash|sales|revenue|tips; second set of books; fake|false|fictitious invoices;
        underreport*; under report*; skim* .. cash|till|takings; evadir .. impuestos|iva|hacienda;
        evasion fiscal; evasion de impuestos; fraude fiscal; no declarar .. ingresos|ventas|iva; sin declarar;
        en negro; sin factura; ocultar .. ingresos|ventas|ganancias; ocultar .. a|de .. la|el? @taxman;
        facturas falsas; no pagar .. impuestos|iva; steuer* .. hinterziehen; steuerhinterziehung; schwarzgeld;
        schwarzarbeit; schwarz .. arbeiten|kassieren|bezahlen|beschaftigen; ohne rechnung;
        am finanzamt vorbei; nicht .. versteuern;
        einnahmen|umsatze|gewinne .. verschweigen|verstecken|verheimlichen;
        vor dem finanzamt .. verstecken|verbergen|verheimlichen; scheinrechnung*; fraude fiscale;
        frauder .. fisc|impots|tva|urssaf; echapper .. au fisc; echapper .. a l impot; evasion fiscale;
        au noir; travail au noir; sans facture; ne pas declarer; sans declarer;
        cacher|dissimuler .. revenus|recettes|ventes; cacher .. au|a l? @taxman; fausses factures""",
        {"us": Law("26 U.S.C. § 7201 (attempt to evade or defeat tax)", _usc(26, "7201")),
         "default": Law("26 U.S.C. § 7201 (attempt to evade or defeat tax)", _usc(26, "7201")),
         "uk": Law("Taxes Management Act 1970, s. 106A (fraudulent evasion of income tax)",
                   "https://www.legislation.gov.uk/ukpga/1970/9/section/106A"),
         "de": Law("§ 370 Abgabenordnung (Steuerhinterziehung)",
                   "https://www.gesetze-im-internet.de/ao_1977/__370.html"),
         "fr": Law("Article 1741 du Code général des impôts (fraude fiscale)",
                   "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000006312980"),
         "es": Law("Artículo 305 del Código Penal (delito contra la Hacienda Pública)", PENAL_ES)},
    ),
    Concern(
        "bribery",
        "Catalyst will not plan paying officials or inspectors for favours; restate the objective as "
        "meeting the requirement, and Catalyst will plan the work to pass it.",
        """bribe*; kickback*; pay off .. inspector*|official*|officials|council|police; grease .. palms;
        sobornar; soborno*; mordida*; bestechen; bestechung*; schmiergeld*; soudoyer; pot de vin; pots de
        vin""",
        {"us": Law("18 U.S.C. § 201 (bribery of public officials)", _usc(18, "201")),
         "default": Law("18 U.S.C. § 201 (bribery of public officials)", _usc(18, "201")),
         "uk": Law("Bribery Act 2010, sections 1 and 6",
                   "https://www.legislation.gov.uk/ukpga/2010/23/contents"),
         "de": Law("§ 334 Strafgesetzbuch (Bestechung)",
                   "https://www.gesetze-im-internet.de/stgb/__334.html"),
         "fr": Law("Article 433-1 du Code pénal (corruption active)",
                   "https://www.legifrance.gouv.fr/codes/id/LEGITEXT000006070719"),
         "es": Law("Artículos 419 a 427 del Código Penal (cohecho)", PENAL_ES)},
    ),
    Concern(
        "evasion",
        "Catalyst will not plan hiding from, misleading or dodging a regulator or inspector; restate it as "
        "meeting the requirement, for example 'Pass the FDA inspection' or 'Obtain FCA authorisation'.",
        """hide|conceal|keep .. from .. the|our|any? @authority; hidden|secret from the|our|any? @authority;
        avoid|evade|dodge|bypass|circumvent|sidestep|escape|deceive|mislead|fool|trick|outsmart the|our|any?
        @authority
        !delays|fail*|problems|issues|findings|failures|fines|penalt*|backlog*|queues|costs|fees|paperwork|
        deadline*; get around|past the|our? @authority|regulations|rules|licensing|inspection*;
        under the radar; stay off .. radar; without the|our? @authority knowing|noticing|finding;
        lie to the? @authority; falsify|falsified|forge|forged|doctor ..
        records|documents|inspection*|reports|accounts|certificate*|licence*|license*|permit*|signature*|
        paperwork|logs|results; fake .. certificate*|licence*|license*|permit*|inspection*|documents|records;
        ocultar|esconder .. a|de .. la|el|los? @authority; a espaldas de .. @authority;
        evadir|eludir|esquivar|burlar|enganar .. a? la|el|los? @authority|controles|inspeccion*;
        falsificar .. documentos|registros|certificado*|licencia*|permiso*;
        vor .. @authority .. verstecken|verbergen|verheimlichen;
        @authority .. umgehen|tauschen|austricksen|hintergehen; kontrolle* umgehen|vermeiden|austricksen;
        ohne dass .. @authority; dokumente|unterlagen|zertifikat*|nachweise|protokolle .. falschen;
        cacher|dissimuler .. a|au|aux .. @authority; sans que .. @authority;
        contourner|tromper .. la|le|les? @authority|reglementation|controle*;
        echapper .. au|aux .. @authority|controle*; falsifier .. documents|registres|certificat*|licence*""",
        {"fca": FSMA,
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
                   "https://eur-lex.europa.eu/eli/reg/2017/625/oj")},
        topics={"fca": "fca", "fda": "fda", "bafin": "bafin"},
    ),
    Concern(
        "spam",
        "Catalyst will not plan mailing bought or harvested lists or sending marketing without consent; "
        "build an opt-in list instead (sign-up form, lead magnet, double opt-in).",
        """buy*|bought|purchas*|rent*|renting .. @contact_kind list|lists|database*|addresses|numbers|data;
        buy*|bought|purchas*|rent* .. list|lists|database* of .. @contacts;
        harvest* .. email*|addresses|contacts;
        spam|spamming|spammed !filter*|folder*|complaint*|score|trap*|rate|check*|box|test*|free;
        unsolicited .. email*|e-mail*|mail*|sms|text*|message*|calls|dms|marketing; robocall*; auto dialer*;
        autodial*; mass text* .. strangers|everyone|random;
        blast .. everyone|strangers|random|scraped|bought|purchased; cold text*|sms;
        email*|e-mail*|mail*|text*|sms|message*|call*|newsletter*|marketing .. without ..
        consent|permission|opt; comprar|compramos .. base*|bases|lista*|listado* .. de ..
        correos|emails|contactos|telefonos|datos; correos|mensajes|emails|sms no solicitados;
        correo*|envio*|envios .. masivo* .. sin .. consentimiento|permiso;
        adressen|adresslisten|kontaktdaten|telefonnummern|datensatze .. kaufen|einkaufen|mieten;
        e-mail|email adressen|listen .. kaufen|einkaufen|mieten;
        gekauft*|gemietet* .. adressen|adresslisten|kontakte|kontaktdaten;
        unerwunscht* .. werbung|e-mails|emails|mails|anrufe|nachrichten|sms;
        kaltakquise .. e-mail|email|mail|telefon|anruf*|sms;
        e-mail*|mail*|newsletter*|werbung|sms|anruf* .. ohne .. einwilligung|zustimmung;
        acheter|achat|achetons .. fichier*|base*|liste* ..
        emails|e-mails|mails|prospects|contacts|clients|donnees; acheter|achat .. fichier*; fichiers achetes;
        courriels|emails|e-mails|sms|messages non sollicites;
        prospect*|demarch*|emailing|mail*|sms .. sans .. consentement|accord""",
        {"us": Law("CAN-SPAM Act (15 U.S.C. §§ 7701–7713), incl. § 7704(b) on harvested addresses; TCPA "
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
         "default": EPRIVACY},
    ),
    Concern(
        "personal_data",
        "Catalyst will not plan collecting, scraping or selling personal data without a lawful basis; "
        "restate it as an opt-in approach, for example 'Collect emails with consent at checkout'.",
        """scrape|scrapes|scraping|scraped|scraper*|crawl ..
            linkedin|facebook|instagram|tiktok|twitter|profiles|personal|emails|email|e-mail*|contacts|phone*|
            addresses|users|people|members|customers|patients|resumes|cvs|names;
            harvest* .. personal|profiles|user|users;
            without .. consent|permission|knowledge|telling|informing; sell|selling|resell ..
            customer|customers|user|users|patient|patients|personal ..
            data|details|lists|list|emails|information|records; scrapear|raspar|extraer .. datos personales;
            scrapear|raspar|extraer .. correos|emails|perfiles|contactos|linkedin;
            sin .. consentimiento|permiso; vender .. datos .. clientes|usuarios|pacientes|personales;
            linkedin|profile|daten|e-mail*|kontakte|kontaktdaten|adressen ..
            scrapen|auslesen|abgreifen|absaugen;
            scrapen|auslesen|abgreifen .. linkedin|profile|daten|e-mail*|kontakte;
            ohne .. einwilligung|zustimmung|wissen; kundendaten .. verkaufen;
            scraper|aspirer|extraire|recuperer .. donnees|emails|e-mails|profils|contacts|linkedin|numeros;
            sans .. consentement; revendre|vendre .. donnees|fichier*""",
        {"us": Law("California Consumer Privacy Act (Cal. Civ. Code § 1798.100 ff.) and CAN-SPAM § 7704(b) "
                   "on harvested addresses", "https://oag.ca.gov/privacy/ccpa"),
         "default": Law("GDPR Article 6 (lawful basis) and Article 14 (informing people whose data was not "
                        "collected from them)", GDPR),
         "uk": Law("UK GDPR Article 6 and Data Protection Act 2018",
                   "https://www.legislation.gov.uk/ukpga/2018/12/contents"),
         "de": Law("Art. 6 DSGVO (Rechtmäßigkeit der Verarbeitung) und Art. 14 DSGVO", GDPR),
         "fr": Law("Article 6 du RGPD (licéité du traitement) et article 14 du RGPD", GDPR),
         "es": Law("Artículo 6 del RGPD (licitud del tratamiento) y artículo 14 del RGPD", GDPR)},
    ),
    Concern(
        "health_claims",
        "Catalyst will not plan claims that a product cures, prevents or treats a disease; restate it around "
        "what can be substantiated, such as taste, ingredients or independently tested benefits.",
        """cure|cures|cured|curing .. @disease|everything|anything|illness*|disease*; cure for .. @disease;
        heals|reverses|eliminates|kills|beats|prevents|treats|fights .. @disease; miracle cure*|treatment*;
        guaranteed .. cure|weight|results; anti cancer; anticancer; lose # .. in a|one|# day|days|week|weeks;
        cura|curar|curan|cure .. @disease|todo|enfermedades; previene|elimina .. @disease; cura milagrosa;
        adelgazar|perder # .. en # dias|semana*; heilt|heilen|heilung .. @disease;
        @disease .. heilen|heilt|besiegen; wundermittel*; wunderheilung; garantiert .. abnehmen;
        guerit|guerir|guerissent|guerison .. @disease|maladies; previent .. @disease; remede miracle;
        perdre # .. en # jours|semaine*""",
        {"us": FTC_HEALTH, "default": FTC_HEALTH,
         "uk": Law("Digital Markets, Competition and Consumers Act 2024, Schedule 20 (banned practice: "
                   "falsely claiming a product can cure illnesses)",
                   "https://www.legislation.gov.uk/ukpga/2024/13/schedule/20"),
         "eu": Law("Unfair Commercial Practices Directive 2005/29/EC, Annex I point 17 (falsely claiming a "
                   "product can cure illnesses); for food also Regulation (EU) 1169/2011 Art. 7(3)", UCPD)},
    ),
    Concern(
        "price_fixing",
        "Catalyst will not plan agreeing prices, bids, customers or territories with competitors; set prices "
        "independently, and Catalyst can plan a pricing strategy instead.",
        """fix|fixing .. prices|pricing|rates|fees; price fixing; agree|coordinate|align|set|collude ..
        prices|pricing|rates|fees .. with .. competitor*|rivals|other; collud*; collusion;
        form|join|create|run .. cartel; bid rigging; rig .. bids|bid|tender*;
        divide|split|carve|share .. market|territor*|customers|clients .. with .. competitor*|rivals;
        market sharing; no poach*; wage fixing; competitor*|rivals .. not to compete|poach|undercut;
        not undercut each other; not to undercut each other;
        fijar|acordar|coordinar .. precios|tarifas .. con .. competencia|competidores|rivales|otros;
        pactar|concertar .. precios|tarifas; acuerdo* de precios; cartel de precios; colusion; coludir*;
        repartir* .. mercado|clientes|zonas .. con .. competencia|competidores; formar|crear .. cartel;
        preisabsprache*; preise|tarife .. mit .. konkurrenz|konkurrenten|wettbewerbern|mitbewerbern;
        mit .. konkurrenz|konkurrenten|wettbewerbern|mitbewerbern .. preise|tarife; kartell*;
        gebietsabsprache*; submissionsabsprache*; marktaufteilung; entente* .. prix|tarifs;
        s entendre .. prix|tarifs; fixer|aligner|coordonner .. prix|tarifs .. avec .. concurrent*;
        avec .. concurrent* .. prix|tarifs; former|constituer .. cartel;
        repartir|partager .. marche|clients|territoires .. avec .. concurrent*""",
        {"us": SHERMAN, "default": SHERMAN, "eu": ART_101,
         "uk": Law("Competition Act 1998, s. 2 (the Chapter I prohibition)",
                   "https://www.legislation.gov.uk/ukpga/1998/41/section/2"),
         "de": Law("§ 1 GWB (Kartellverbot) and Article 101 TFEU",
                   "https://www.gesetze-im-internet.de/gwb/__1.html")},
    ),
    Concern(
        "minors",
        "Catalyst will not plan selling or marketing age-restricted products to minors; restate it for adult "
        "customers, and Catalyst will plan age checks at the point of sale.",
        """sell*|market*|advertis*|promot*|target*|serve|deliver .. @restricted .. to .. @minors;
        target*|reach .. @minors .. with .. @restricted;
        underage .. drinkers|drinking|customers|buyers|gamblers; no|skip|without|drop|bypass ..
        age-verification|age-checks|age-check|id-checks|id-check|checking-id*;
        don't|dont|not|never check .. id|ids|ages|age; @restricted .. a .. @minors;
        sin .. verificacion|control .. edad; @restricted .. an .. @minors;
        ohne .. alterskontrolle*|altersprufung*|altersverifikation|ausweiskontrolle*;
        @restricted .. aux @minors; sans .. verification|controle .. age""",
        {"tobacco/us": Law("Federal Food, Drug, and Cosmetic Act § 906(d)(5) (21 U.S.C. § 387f(d)(5)): no "
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
                   "https://www.boe.es/buscar/act.php?id=BOE-A-2005-21261")},
        topics={"tobacco": """tobacco; cigarette*; cigar*; vape*; vaping; e cigarette*; nicotine; tabak;
            zigarette*; tabac; vapoteuse*; tabaco; cigarrillo*; vapeador*"""},
    ),
    Concern(
        "counterfeit",
        "Catalyst will not plan making or selling counterfeit or look-alike branded goods; sell your own "
        "designs under your own brand, which Catalyst can plan and protect.",
        """counterfeit*; knock offs; knockoffs; knock off; bootleg*; pirated;
        replica|replicas designer|luxury|branded|watches|handbags|bags|sneakers|trainers|rolex|gucci;
        fake|fakes .. rolex|gucci|nike|chanel|louis|prada|adidas|designer|luxury|branded|handbags|watches;
        falsificacion*; falsificado*; imitaciones de marca; productos pirata; pirateria;
        gefalscht* .. ware*|markenware|produkte|handtaschen|uhren|sneaker|markenartikel|kleidung|parfum;
        produktfalschung*; markenfalschung*; markenpiraterie; plagiate; contrefacon*; contrefait*; faux sacs;
        fausses montres""",
        {"us": Law("18 U.S.C. § 2320 (trafficking in counterfeit goods) and the Lanham Act",
                   _usc(18, "2320")),
         "default": Law("18 U.S.C. § 2320 (trafficking in counterfeit goods) and the Lanham Act",
                        _usc(18, "2320")),
         "uk": Law("Trade Marks Act 1994, s. 92 (unauthorised use of a trade mark in relation to goods)",
                   "https://www.legislation.gov.uk/ukpga/1994/26/section/92"),
         "eu": Law("Regulation (EU) 2017/1001 on the EU trade mark, Article 9 (rights conferred), and "
                   "national criminal law on counterfeiting",
                   "https://eur-lex.europa.eu/eli/reg/2017/1001/oj")},
    ),
    Concern(
        "unlicensed",
        "Catalyst will not plan trading without a licence the activity requires; add 'Obtain the licence' as "
        "an objective and Catalyst will plan it before the launch.",
        """without ..
            licence|license|licenses|licences|permit|permits|authorisation|authorization|authorised|
            authorized; unlicensed; unlicenced;
            before .. licen*|permit*|authoris*|authoriz* .. granted|approved|arrives|issued;
            skip .. licen*|permit*|licensing|inspection*|registration;
            sin .. licencia|licencias|permiso*|autorizacion|autorizaciones|registro|habilitacion;
            ohne .. lizenz|lizenzen|genehmigung*|erlaubnis|zulassung|konzession|gewerbeanmeldung;
            sans .. licence|licences|autorisation*|agrement|permis|habilitation""",
        {"finance/uk": FSMA,
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
                   "entreprendre.service-public.fr)", "https://entreprendre.service-public.fr/")},
        topics={"finance": """fca; sec; bafin; finra; fincen; money; payments; payment; lending; loans;
            crypto*; e money; banking; bank; invest*; finanz*; pagos; paiement*; banque; credito;
            remittance*""",
                "alcohol": """alcohol; liquor; beer*; wine*; spirits; cocktails; alkohol; bier; wein; alcool;
                   biere; vin; cerveza*; vino*; licor*"""},
    ),
)

# Objectives that cannot happen as written; each with a way to restate it.
IMPOSSIBLE: tuple[tuple[str, str], ...] = (
    ("""taste|tastes|tasting|smell|smells|sound|sounds|feel|feels ..
            blue|red|green|purple|yellow|orange|pink|colour*|color*|square|loud;
            schmeckt|schmecken|riecht|riechen .. blau|rot|grun|lila|gelb;
            gout|saveur .. bleu|rouge|vert|violet; sabor|sabe|sepa|sepan .. azul|rojo|verde|morado""",
     "a colour or sound cannot be tasted; restate it as something a customer can experience, for example "
     "'Launch a blue-coloured seasonal drink'"),
    ("""two places at once; two places at the same time; everywhere at once; be in two places;
        an zwei orten gleichzeitig; en deux endroits a la fois; en dos lugares a la vez""",
     "one person cannot be in two places; restate it as, for example, 'Hire a manager for the second site'"),
    ("""time travel; travel back in time; launch|open|finish|complete|ship .. yesterday|last-week|last-month;
        zeitreise*; voyage dans le temps; viajar en el tiempo""",
     "the past cannot be changed; give a date from today onwards, for example 'Launch by 1 June'"),
    ("""infinite|unlimited|endless .. customers|money|revenue|followers|budget|sales|users|clients|profit*;
        every person on earth; every person on the planet; everyone on earth; everyone on the planet;
        everyone in the world; all 8 billion; unendlich* .. kunden|umsatz|geld; clients illimites|infinis;
        clientes infinitos""",
     "an unlimited result cannot be planned or measured; set a number, for example 'Win 500 new customers'"),
    ("""increase|raise|grow .. and .. decrease|lower|reduce|cut .. at the same time;
        increase|raise|grow .. and .. decrease|lower|reduce|cut .. simultaneously;
        lower|decrease|reduce|cut .. and .. increase|raise .. at the same time; free .. and .. expensive;
        cheapest .. and .. most expensive""",
     "the objective contradicts itself; choose one direction, for example 'Raise prices by 5%'"),
)
