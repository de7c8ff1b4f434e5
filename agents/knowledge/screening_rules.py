"""What Catalyst refuses to plan and how each request is worded in four languages (data for screening).

Phrases use `agents.knowledge.phrases`, separated by ";". The law each concern breaks, by
jurisdiction, is in `screening_laws`.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Concern:
    key: str
    reason: str  # what Catalyst will not do and what to ask for instead
    phrases: str
    # Topics that change which law applies (alcohol or tobacco, finance or food): topic -> phrases.
    # The laws themselves are in `screening_laws.LAWS[key]`.
    topics: dict[str, str] = field(default_factory=dict)


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
    ),
    Concern(
        "bribery",
        "Catalyst will not plan paying officials or inspectors for favours; restate the objective as "
        "meeting the requirement, and Catalyst will plan the work to pass it.",
        """bribe*; kickback*; pay off .. inspector*|official*|officials|council|police; grease .. palms;
        sobornar; soborno*; mordida*; bestechen; bestechung*; schmiergeld*; soudoyer; pot de vin;
        pots de vin""",
    ),
    Concern(
        "evasion",
        "Catalyst will not plan hiding from, misleading or dodging a regulator or inspector; restate it as "
        "meeting the requirement, for example 'Pass the FDA inspection' or 'Obtain FCA authorisation'.",
        """hide|conceal|keep .. from .. the|our|any? @authority; hidden|secret from the|our|any? @authority;
        avoid|evade|dodge|bypass|circumvent|sidestep|escape|deceive|mislead|fool|trick|outsmart
            the|our|any? @authority
            !delays|fail*|problems|issues|findings|failures|fines|penalt*|backlog*|queues|costs|fees|
            paperwork|deadline*;
        get around|past the|our? @authority|regulations|rules|licensing|inspection*; under the radar;
        stay off .. radar; without the|our? @authority knowing|noticing|finding; lie to the? @authority;
        falsify|falsified|forge|forged|doctor .. records|documents|inspection*|reports|accounts|
            certificate*|licence*|license*|permit*|signature*|paperwork|logs|results;
        fake .. certificate*|licence*|license*|permit*|inspection*|documents|records;
        ocultar|esconder .. a|de .. la|el|los? @authority; a espaldas de .. @authority;
        evadir|eludir|esquivar|burlar|enganar .. a? la|el|los? @authority|controles|inspeccion*;
        falsificar .. documentos|registros|certificado*|licencia*|permiso*;
        vor .. @authority .. verstecken|verbergen|verheimlichen;
        @authority .. umgehen|tauschen|austricksen|hintergehen; kontrolle* umgehen|vermeiden|austricksen;
        ohne dass .. @authority; dokumente|unterlagen|zertifikat*|nachweise|protokolle .. falschen;
        cacher|dissimuler .. a|au|aux .. @authority; sans que .. @authority;
        contourner|tromper .. la|le|les? @authority|reglementation|controle*;
        echapper .. au|aux .. @authority|controle*; falsifier .. documents|registres|certificat*|licence*""",
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
    ),
    Concern(
        "personal_data",
        "Catalyst will not plan collecting, scraping or selling personal data without a lawful basis; "
        "restate it as an opt-in approach, for example 'Collect emails with consent at checkout'.",
        """scrape|scrapes|scraping|scraped|scraper*|crawl .. linkedin|facebook|instagram|tiktok|twitter|
            profiles|personal|emails|email|e-mail*|contacts|phone*|addresses|users|people|members|customers|
            patients|resumes|cvs|names;
        harvest* .. personal|profiles|user|users; without .. consent|permission|knowledge|telling|informing;
        sell|selling|resell .. customer|customers|user|users|patient|patients|personal .. data|details|
            lists|list|emails|information|records;
        scrapear|raspar|extraer .. datos personales;
        scrapear|raspar|extraer .. correos|emails|perfiles|contactos|linkedin; sin .. consentimiento|permiso;
        vender .. datos .. clientes|usuarios|pacientes|personales;
        linkedin|profile|daten|e-mail*|kontakte|kontaktdaten|adressen .. scrapen|auslesen|abgreifen|absaugen;
        scrapen|auslesen|abgreifen .. linkedin|profile|daten|e-mail*|kontakte;
        ohne .. einwilligung|zustimmung|wissen; kundendaten .. verkaufen;
        scraper|aspirer|extraire|recuperer .. donnees|emails|e-mails|profils|contacts|linkedin|numeros;
        sans .. consentement; revendre|vendre .. donnees|fichier*""",
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
    ),
    Concern(
        "price_fixing",
        "Catalyst will not plan agreeing prices, bids, customers or territories with competitors; set prices "
        "independently, and Catalyst can plan a pricing strategy instead.",
        """fix|fixing .. prices|pricing|rates|fees; price fixing;
        agree|coordinate|align|set|collude .. prices|pricing|rates|fees .. with .. competitor*|rivals|other;
        collud*; collusion; form|join|create|run .. cartel; bid rigging; rig .. bids|bid|tender*;
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
    ),
    Concern(
        "minors",
        "Catalyst will not plan selling or marketing age-restricted products to minors; restate it for adult "
        "customers, and Catalyst will plan age checks at the point of sale.",
        """sell*|market*|advertis*|promot*|target*|serve|deliver .. @restricted .. to .. @minors;
        target*|reach .. @minors .. with .. @restricted;
        underage .. drinkers|drinking|customers|buyers|gamblers;
        no|skip|without|drop|bypass .. age-verification|age-checks|age-check|id-checks|id-check|checking-id*;
        don't|dont|not|never check .. id|ids|ages|age; @restricted .. a .. @minors;
        sin .. verificacion|control .. edad; @restricted .. an .. @minors;
        ohne .. alterskontrolle*|altersprufung*|altersverifikation|ausweiskontrolle*;
        @restricted .. aux @minors; sans .. verification|controle .. age""",
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
    ),
    Concern(
        "unlicensed",
        "Catalyst will not plan trading without a licence the activity requires; add 'Obtain the licence' as "
        "an objective and Catalyst will plan it before the launch.",
        """without .. licence|license|licenses|licences|permit|permits|authorisation|authorization|authorised|
            authorized;
        unlicensed; unlicenced;
        before .. licen*|permit*|authoris*|authoriz* .. granted|approved|arrives|issued;
        skip .. licen*|permit*|licensing|inspection*|registration;
        sin .. licencia|licencias|permiso*|autorizacion|autorizaciones|registro|habilitacion;
        ohne .. lizenz|lizenzen|genehmigung*|erlaubnis|zulassung|konzession|gewerbeanmeldung;
        sans .. licence|licences|autorisation*|agrement|permis|habilitation""",
        topics={
            "finance": """fca; sec; bafin; finra; fincen; money; payments; payment; lending; loans; crypto*;
                e money; banking; bank; invest*; finanz*; pagos; paiement*; banque; credito; remittance*""",
            "alcohol": """alcohol; liquor; beer*; wine*; spirits; cocktails; alkohol; bier; wein; alcool;
                biere; vin; cerveza*; vino*; licor*""",
        },
    ),
)

# Objectives that cannot happen as written; each with a way to restate it.
IMPOSSIBLE: tuple[tuple[str, str], ...] = (
    ("""taste|tastes|tasting|smell|smells|sound|sounds|feel|feels .. blue|red|green|purple|yellow|orange|
            pink|colour*|color*|square|loud;
        schmeckt|schmecken|riecht|riechen .. blau|rot|grun|lila|gelb; gout|saveur .. bleu|rouge|vert|violet;
        sabor|sabe|sepa|sepan .. azul|rojo|verde|morado""",
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
