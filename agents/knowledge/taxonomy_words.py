"""Synonyms of each objective kind in English, Spanish, German and French (data for taxonomy.py).

Phrases use the language of `agents.knowledge.phrases`, separated by ";". A phrase starting with
"~" is weak: it names the kind only when no ordinary phrase of any kind matched ("marca" alone is
probably about the brand, but "registrar la marca" is a trademark). Accents are optional.
"""

from __future__ import annotations

from agents.knowledge.phrases import split_phrases

# Most specific first: when several kinds match, the earliest in this order wins.
ORDER: tuple[str, ...] = (
    "nonprofit", "licensing", "trademark", "fundraising", "insurance", "accounting", "compliance_privacy",
    "formation", "events",
    "hiring", "loyalty", "ecommerce", "international", "new_location", "mobile_app", "partnerships",
    "pricing", "advertising", "social", "content_seo", "website", "customer_acquisition", "sales",
    "awareness", "brand", "launch",
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

WORDS: dict[str, dict[str, str]] = {
    "launch": {
        "en": """launch*; relaunch*; go to market; gtm; open for business; open .. doors; grand opening;
            soft launch; go live; start trading; start selling; begin trading; start the business;
            start a|an|our business|company|brand|practice|studio; bring .. to market; take .. to market;
            debut; ~release*; open a|an|the|our .. @venue; open in; opening day""",
        "es": """lanzar*; lanzamiento; relanzar; abrir; apertura; inaugurar; inauguracion; poner en marcha;
            salir al mercado; llegar al mercado; comercializar; iniciar operaciones; arrancar;
            empezar a vender; estrenar""",
        "de": """einfuhren; *einfuhrung; starten; start; launch*; eroffnen; eroffnung; *eroffnung;
            markteintritt; auf den markt bringen; marktstart; an den start""",
        "fr": """lancer; lancement; lance; lancee; relancer; ouvrir; ouverture; demarrer; demarrage;
            mise sur le marche; mettre sur le marche; commercialiser; commercialisation; inaugurer;
            inauguration""",
    },
    "formation": {
        "en": """incorporation;
            incorporate|incorporated the|a|an|our? company|business|startup|llc|corporation|entity|in|as;
            form a|an|the|our company|llc|corporation|entity|business|ltd; company|business formation;
            set up the|a|an|our company|llc|entity|business; set up the|a|our? legal entity;
            register the|a|an|our business|company|llc|entity|partnership; business|company registration;
            ~llc; c corp; s corp; delaware corporation; ~ltd; limited company; companies house;
            sole proprietorship; sole trader; articles of incorporation|organization|organisation;
            operating agreement; business bank account; register for vat|gst; register for sales tax;
            vat|gst registration; tax id; employer identification number; pty ltd; pte ltd; kabushiki kaisha;
            godo kaisha; abn; nzbn; acra; dba; doing business as""",
        "es": """crear una|la|nuestra sociedad|empresa; constituir la|una|nuestra sociedad|empresa|compania;
            constitucion de la sociedad|empresa; sociedad limitada;
            registrar la|una|nuestra empresa|sociedad|compania; dar de alta la empresa; alta de autonomo;
            sa de cv; s de rl; registro mercantil; rfc; forma juridica; escritura de constitucion; cnpj""",
        "de": """~gmbh; ~ug; gmbh|ug grunden; grunden; grundung*; *grundung; handelsregister*;
            gewerbeanmeldung; gewerbe anmelden; rechtsform; gesellschaftsvertrag; steuernummer;
            umsatzsteuer id""",
        "fr": """creer une|la|notre societe|entreprise; creation de societe; creation d entreprise;
            creation de la societe; immatricul*; ~sas; ~sasu; ~sarl; ~eurl; kbis; statuts; forme juridique;
            siren; siret; auto entrepreneur; micro entreprise; registre du commerce""",
    },
    "trademark": {
        "en": """trademark*; trade mark*; register the|our name|brand|logo|mark|wordmark;
            register the|our brand|product name; register .. as a trademark; uspto; ukipo; euipo; wipo;
            madrid protocol; cipo; ip australia; iponz; word mark; service mark;
            protect the|our name|brand|logo; protect the|our brand name; brand protection""",
        "es": """marca registrada; registrar la|nuestra marca; registro de la? marca; registro de marcas;
            oepm; impi; inpi; solicitud de marca; proteger la|nuestra marca; proteger el nombre""",
        "de": """markenanmeld*; marke anmelden|eintragen|schutzen|registrieren; markeneintragung;
            markenschutz; wortmarke; bildmarke; wort bildmarke; dpma; markenrecht*; unionsmarke; eu marke""",
        "fr": """depot de la? marque; deposer la|notre marque; deposer le nom|logo; marque deposee;
            enregistrer la|notre marque; proteger la|notre marque; proteger le nom""",
    },
    "licensing": {
        "en": """licence|license|licences|licenses|licensing|licensed; permit|permits;
            authorisation|authorization; get|become|be|obtain authorised|authorized; fca; bafin; fssai; finra;
            fincen; money transmitter; msb registration; emi; e money; alcohol licence|license; tabc; ttb;
            brewers notice; brewer s notice; food hygiene|safety; food business registration; health permit;
            health department; inspection|inspections; fda; 510 k; ce mark*; ukca; regulatory approval;
            accreditation; organic|halal|kosher certification; zoning; planning permission; building permit;
            certificate of occupancy; cqc; ofsted; sra; bar admission; asic; afsl; austrac;
            mas licence|license; monetary authority; rbi; sebi; cnbv; central bank; ~certif*""",
        "es": """licencia*; permiso*; autorizacion; autorizaciones; habilitacion; cnmv; banco de espana;
            cofepris; registro sanitario; inspeccion; certificacion organica|ecologica; sello ecologico;
            homologacion""",
        "de": """lizenz*; genehmigung*; *genehmigung; erlaubnis*; *erlaubnis; zulassung*; *zulassung;
            konzession*; gaststattenerlaubnis; ausschank*; gesundheitsamt; hygienezertifikat; bio siegel;
            bio zertifizierung""",
        "fr": """agrement; autorisation*; permis; habilitation; label bio|ab|rouge; certification bio; acpr;
            amf; licence iv; licence de debit de boissons; declaration d activite; haccp""",
    },
    "nonprofit": {
        "en": """get|obtain|secure|achieve|earn|receive|gain .. @np_status; apply|file for .. @np_status;
            start|form|launch|set|establish|found|create|incorporate|register|become .. @np_body;
            501 c 3 status; 501c3 status; charity|charitable status; tax exempt status; tax exemption;
            exempt status; nonprofit status; non profit status; registered charity;
            charity|charitable registration; charity commission; charities|charity regulator; oscr;
            charitable incorporated organisation; dgr status; deductible gift recipient; acnc; form 1023;
            1023 ez; irs determination; gift aid; ~501 c 3; ~501c3; ~nonprofit; ~non profit; ~not for profit;
            ~ngo; ~charity; ~charitable""",
        "es": """donataria autorizada; utilidad publica;
            crear|constituir|registrar|fundar .. ong|fundacion|asociacion;
            asociacion sin animo|fines de lucro; organizacion benefica; entidad benefica; asociacion civil;
            ~ong; ~fundacion; ~sin fines de lucro; ~sin animo de lucro""",
        "de": """gemeinnutzig*; e v; eingetragen* verein; verein grunden|eintragen; vereinsregister;
            stiftung grunden|errichten; grundung einer stiftung; freistellungsbescheid; spendenbescheinigung*;
            ~stiftung*""",
        "fr": """association loi 1901; loi 1901; association a but non lucratif;
            creer .. association|fondation; reconnue d utilite publique; rescrit fiscal; recus fiscaux;
            ~fondation; ~but non lucratif; ~interet general""",
    },
    "fundraising": {
        "en": """raise .. seed; seed round|funding|capital|investment; pre seed; series a|b|c;
            raise .. capital|funding|money|round|investment|financing|donations; raise #; investor*;
            angel investor*; business angels; venture capital; vc funding; vc; funding round;
            secure|obtain .. funding|financing|investment|grant|grants|loan; grant|grants; crowdfund*;
            kickstarter; indiegogo; seedrs; crowdcube; convertible note*; safe note*; pitch deck;
            bridge round; giving tuesday; year end giving; giving campaign*|day; fundrais*; donation*; donor*;
            bank loan; business loan; sba loan; loan; financing; term sheet; close .. round""",
        "es": """ronda de financiacion|financiamiento|inversion; ronda semilla; ronda pre semilla;
            levantar .. capital|fondos|ronda|inversion; levantar #; recaudar .. fondos|donaciones|#;
            recaudacion de fondos; captar .. inversion|fondos|capital|inversores; inversor*; inversionista*;
            capital riesgo; capital de riesgo; capital semilla; financiacion; financiamiento; subvencion*;
            micromecenazgo; crowdfunding; donaciones; donantes; prestamo*""",
        "de": """*finanzierung*; investor*; kapital .. aufnehmen|beschaffen|einsammeln; kapitalbeschaffung;
            seed runde; risikokapital; wagniskapital; business angel*; fordermittel*; zuschuss; zuschusse;
            crowdfunding; spenden*; spender*; kredit*; darlehen; geld .. einsammeln""",
        "fr": """levee de fonds; lever .. fonds; lever #; investisseur*; tour de table; tour de financement;
            capital risque; financement*; amorcage; subvention*; financement participatif;
            collecter .. dons|fonds; collecte de fonds; dons; donateurs; pret bancaire; pret; bpifrance""",
    },
    "hiring": {
        "en": """hire|hires|hiring|hired; recruit*; payroll; build .. team; grow .. team; staff up; new hires;
            headcount; job ad*; job post*; job listing*; careers page; talent acquisition; apprentice*;
            onboard .. employees|staff|hires; take on .. staff|apprentice*; fill .. roles|positions|vacancies;
            vacanc*; recruitment""",
        "es": """contratar; contratacion; reclutar; reclutamiento; formar .. equipo; ampliar .. equipo;
            ofertas de empleo; oferta de empleo; vacante*; seleccion de personal;
            incorporar .. empleados|personal|trabajadores; nuevos empleados""",
        "de": """einstellen; einstellung*; neueinstellung*; mitarbeiter* .. finden|gewinnen|suchen|einstellen;
            personal .. finden|gewinnen|suchen|aufbauen; rekrutier*; recruiting; fachkrafte; team aufbauen;
            team .. aufbauen|erweitern|vergrossern; stelle* besetzen; stellenanzeige*; azubi*; auszubildende*;
            personalsuche; personalgewinnung; bewerbung*; bewerber*""",
        "fr": """recruter; recrutement; embaucher; embauche; constituer .. equipe; agrandir .. equipe;
            offre* d emploi; postes a pourvoir; nouveaux collaborateurs; alternant*; apprenti*""",
    },
    "new_location": {
        "en": """second|third|fourth|fifth|another|new|additional|next @venue; second|third|another site;
            open # more|new; open a|our second|third|new|another; open another; expand to; expand into;
            new premises; franchis*; multi site; multiple locations; more locations;
            # locations|stores|shops|branches|cafes|sites|outlets|clinics|restaurants|studios|gyms; relocat*;
            move .. to a bigger|larger|new; flagship; satellite office|clinic""",
        "es": """segundo|segunda|tercer|tercera|nuevo|nueva|otro|otra @venue; nuevo|segundo|otro|tercer local;
            nuevos locales; abrir un|una segundo|segunda|tercer|tercera|nuevo|nueva|otro|otra; sucursal*;
            expandirnos a; expandirse a; franquicia*; mas locales|tiendas|sucursales""",
        "de": """filiale*; zweite*|dritte*|neue*|weitere* @venue; zweigstelle*; niederlassung*;
            expandieren nach""",
        "fr": """deuxieme|second|seconde|troisieme|nouvelle|nouveau|nouvel|autre @venue;
            ouvrir un|une deuxieme|second|seconde|troisieme|nouvelle|nouveau|autre; succursale*; franchise*;
            s agrandir; nouvelle|deuxieme adresse""",
    },
    "loyalty": {
        "en": """loyalty*; rewards; reward program*|scheme*|card*|club; retention;
            retain .. customers|members|clients|patients|guests|subscribers;
            repeat customers|business|visits|purchases|purchase|orders|bookings|guests; returning customers;
            churn; punch card*; stamp card*; referral program*|scheme*; membership program*|scheme*;
            vip program*|club; customer lifetime value; lifetime value; ltv; come back; win back""",
        "es": """fidelizacion; fidelizar; fidelidad; lealtad;
            programa de puntos|recompensas|lealtad|fidelidad; clientes recurrentes|habituales|fieles;
            tarjeta de fidelidad|puntos; retencion; retener .. clientes; recompensas""",
        "de": """kundenbindung*; treueprogramm*; treue*; stammkunden*; bonusprogramm*; kundenkarte*;
            wiederkaufer; wiederkaufrate; kunden .. binden; kundentreue""",
        "fr": """fidelite; fideliser; fidelisation; programme de fidelite; carte de fidelite;
            clients reguliers|fideles|recurrents; retention; recompenses; parrainage""",
    },
    "ecommerce": {
        "en": """online shop*|store*|boutique; online .. shop*|store*|boutique*; webshop*; web shop;
            sell .. online; online sales; e commerce; ecommerce; shopify; woocommerce; etsy; amazon; checkout;
            online ordering; online orders; click and collect; direct to consumer; dtc; d2c; subscription
            box*""",
        "es": """tienda online|virtual|electronica; tienda en linea; vender .. online|internet;
            vender en linea; vender por internet; venta* por internet; venta* online|internet;
            venta* en linea; comercio electronico; mercado libre; pedidos online; pedidos en linea""",
        "de": """onlineshop*; online shop*; webshop*; onlinehandel; online handel; online verkaufen;
            online vertrieb; versandhandel; online bestellungen""",
        "fr": """boutique en ligne; vente* en ligne; vendre en ligne; site marchand; site e commerce;
            commerce en ligne; commande* en ligne""",
    },
    "international": {
        "en": """international*; export*; abroad; overseas; go global; global expansion; globally; worldwide;
            cross border; enter .. @country; enter .. @demonym market*; @demonym market*; new markets;
            foreign market*; expand .. to|into @country; localis*; localiz*;
            translate .. website|site|app|store|shop; ~enter .. market""",
        "es": """internacional*; internacionalizar*; internacionalizacion; exportar; exportacion*; extranjero;
            expandir* a|al|hacia|en @country; entrar en|al .. mercado @demonym; mercado @demonym;
            nuevos mercados; mercados internacionales|extranjeros""",
        "de": """internationalisier*; ausland*; auslandsmarkt*; expandieren nach|in @country;
            expansion nach|in; @demonym markt; markt in @country; neue markte""",
        "fr": """internationalis*; a l etranger; etranger; nouveaux marches; marche @demonym;
            s implanter en|au|aux @country; implanter .. en|au|aux @country; conquerir .. marche""",
    },
    "mobile_app": {
        "en": """app|apps; mobile app*; ios; android; iphone; ipad; app store; play store; google play;
            react native; flutter; app downloads|installs; ~downloads; mobile application""",
        "es": """aplicacion*; app movil; descargas""",
        "de": """handy app; smartphone app; mobile anwendung""",
        "fr": """application mobile; appli; applis; telechargements""",
    },
    "partnerships": {
        "en": """partner|partners|partnering|partnership*; distributor*;
            distribution deal*|agreement*|partner*; wholesale*; stockist*; retailers; resellers; supermarket*;
            get stocked; stocked in|at|by; grocery chain*; collaborat*; co marketing; co branded; affiliate*;
            joint venture; alliances; channel partners; horeca; whole foods; costco; walmart; tesco; waitrose;
            sainsbury*; carrefour; ~sponsor*; ~b2b""",
        "es": """socios comerciales|estrategicos; socios de distribucion; alianza*; distribuidor*;
            distribucion; mayorist*; colaboracion*; colaborar con; revendedor*; minoristas; supermercados;
            afiliados""",
        "de": """*partner; kooperation*; vertriebspartner*; handler*; *handler; grosshandel*; grosshandler*;
            einzelhandel*; wiederverkaufer; supermarkte*; zusammenarbeit""",
        "fr": """partenaire*; partenariat*; distributeur*; revendeur*; grossiste*; grande distribution;
            collaboration*; points de vente; detaillants; supermarches; cavistes; epiceries fines;
            affiliation""",
    },
    "events": {
        "en": """event|events; launch party; pop up*; popup*; trade show*; trade fair*; expo; exhibition*;
            exhibit at; conference*; festival*; open day*; open house; workshops;
            host|run|hold|organise|organize .. workshop*; tasting event*|evening*|night*; tastings;
            wine|beer|coffee tasting*; cupping*; meetup*; webinar*; summit; gala;
            farmers|craft|holiday|christmas|makers market*; craft fair*; market stall; booth;
            exhibit|exhibiting .. at; opening party|night|event; ribbon cutting; hackathon""",
        "es": """evento*; feria*; fiesta de lanzamiento|inauguracion; talleres; organizar .. taller*;
            degustacion*; cata; catas; jornada de puertas abiertas; puertas abiertas; congreso*;
            exposicion""",
        "de": """veranstaltung*; messe; *messe; messestand*; messeauftritt*; eroffnungsfeier; eroffnungsfest;
            eroffnungsparty; verkostung*; weinprobe*; tag der offenen tur; konferenz*""",
        "fr": """evenement*; evenementiel; salon professionnel; salons professionnels;
            salon professionnel*|international|du|des; soiree de lancement; ateliers;
            animer|organiser .. atelier*; degustation*; portes ouvertes; webinaire*; foire*""",
    },
    "insurance": {
        "en": """insurance; insure*; liability cover*; public liability; professional indemnity; cyber cover""",
        "es": """seguro; seguros; asegurar*; responsabilidad civil""",
        "de": """versicherung*; haftpflicht*; *versicherung""",
        "fr": """assurance*; assurer; responsabilite civile; rc pro""",
    },
    "accounting": {
        "en": """bookkeeping; accounting; accountant; payroll; tax return*; vat registration; sales tax registration;
            set up the books; financial statements; audit of the accounts""",
        "es": """contabilidad; contable; nominas; declaracion de impuestos; alta en hacienda""",
        "de": """buchhaltung; buchfuhrung; steuerberater*; lohnabrechnung; steuererklarung*; umsatzsteuer*""",
        "fr": """comptabilite; comptable; expert-comptable; paie; declaration fiscale; tva""",
    },
    "pricing": {
        "en": """pricing; price; prices; price point*; rate card; subscription tiers|plans""",
        "es": """precio*; tarifa*; estrategia de precios; fijacion de precios""",
        "de": """preis*; *preis; *preise; preisgestaltung; tarif*""",
        "fr": """prix; tarif*; tarification; politique tarifaire; grille tarifaire""",
    },
    "compliance_privacy": {
        "en": """gdpr; uk gdpr; privacy; data protection;
            cookie banner*|consent|policy|policies|notice|law|compliance|rules|settings; ccpa; cpra; hipaa;
            soc 2; soc2; iso 27001; pipeda; pdpa; appi; lgpd; dpdp; privacy policy; terms of service|use;
            terms and conditions; accessibility; ada compliance; wcag; compliance; compliant; comply*;
            data processing agreement; draft .. contract*|agreements; contract templates;
            customer|supplier|client|employment contract*; legal terms; disclaimer*; pci; pci dss; aml; kyc;
            regulatory compliance; consumer duty; employee|staff handbook; data breach*;
            customer|personal|patient|user data; cyber security; age-verification|age-checks|id-checks;
            check id|ids|ages; challenge 21|25; responsible service""",
        "es": """rgpd; lopd; lopdgdd; proteccion de datos; privacidad; aviso legal; aviso|politica de cookies;
            aviso de privacidad; lfpdppp; cumplimiento; cumplir con; terminos y condiciones;
            condiciones de uso; redactar .. contratos; contratos con clientes|proveedores; normativa""",
        "de": """dsgvo; datenschutz*; cookie hinweis|banner|richtlinie; impressum; agb; datenschutzerklarung;
            vertrage; barrierefreiheit""",
        "fr": """rgpd; cnil; protection des donnees; donnees personnelles; confidentialite; mentions legales;
            cgv; cgu; conformite; contrat; contrats; accessibilite; bandeau cookies; politique de cookies""",
    },
    "advertising": {
        "en": """ad|ads; advert*; advertis*; paid campaign*|social|search|media; ppc; google ads; adwords;
            meta ads; campaign*; billboard*; radio spot*|ad*; tv; television; print ad*; flyer*; leaflet*;
            direct mail; mailer*; promot*; retargeting; sem; sponsored posts; bus shelter*; ~marketing;
            ~market our|the|to""",
        "es": """publicidad; publicitar*; anuncio*; campana*; vallas publicitarias; promocion*; promocionar*;
            folletos; volantes""",
        "de": """werbung; *werbung; werbe*; bewerben; kampagne*; *kampagne; anzeige*; plakat*""",
        "fr": """publicite*; ~pub; ~pubs; campagne*; annonce*; affichage; affiches; sponsoris*; prospectus;
            promouvoir""",
    },
    "social": {
        "en": """social media; ~social; instagram; insta; tiktok; facebook; linkedin; youtube; pinterest;
            twitter; followers; follower; influencer*; ugc; reels; ~community""",
        "es": """redes sociales; seguidores; ~comunidad""",
        "de": """soziale medien; soziale netzwerke; ~community""",
        "fr": """reseaux sociaux; abonnes; influenceur*; ~communaute""",
    },
    "content_seo": {
        "en": """blog*; seo; search engine*; google ranking*; rank .. google; rank on|in google;
            page one|1 of google; first page of google; ~rank*; organic traffic|search; content marketing;
            content calendar; newsletter*; email list; mailing list; emails; articles; podcast*; case stud*;
            white paper*; whitepaper*; thought leadership; copywriting; guides; ebook*;
            email marketing|campaign*|copy|sequence*; deliverability; email authentication; dkim; dmarc;
            spam folder*|filter*; inbox placement; ~sms; photograph*; photo shoot*; photoshoot*;
            product photos; catalogue*; catalog*; lookbook*; brochure*; ~email*; ~content; ~video*;
            ~traffic""",
        "es": """contenido*; posicionamiento web|seo|organico; posicionamiento en google|buscadores; boletin;
            articulos; marketing de contenidos; trafico organico; buscadores""",
        "de": """inhalt*; suchmaschin*; ratgeber*; fachartikel*; artikel""",
        "fr": """contenu*; referencement; lettre d information; lettre d info; redaction;
            marketing de contenu; trafic organique""",
    },
    "website": {
        "en": """website*; web site*; landing page*; homepage; home page; site redesign; redesign .. site;
            new site; booking site; booking system; online booking*; wordpress; webflow; squarespace; wix;
            web presence; microsite; ~web; ~site""",
        "es": """sitio web; pagina web; web corporativa; nueva web; la web; pagina de aterrizaje;
            reservas online; reservas en linea""",
        "de": """webseite*; *webseite; internetauftritt*; internetseite*; landingpage*; webauftritt*;
            online buchung*""",
        "fr": """site web; site internet; site vitrine; page d atterrissage; refonte du site;
            reservation en ligne""",
    },
    "customer_acquisition": {
        "en": """# new? @people; # .. @people; new @people; sign|signing|onboard|land .. @people; wishlist*;
            more @people; attract* .. @people; acquire* .. @people; win .. @people; gain .. @people;
            customer acquisition; lead generation; generate .. leads; leads; signups; sign ups; waitlist;
            wait list; foot traffic; footfall; walk ins; user base; user growth; google business profile;
            google maps; yelp""",
        "es": """captar .. @people; nuevos @people; mas @people; atraer .. @people; conseguir .. @people;
            captacion de clientes; registros""",
        "de": """neukunden*; kunden gewinnen; kundengewinnung; neue @people; mehr @people; @people gewinnen;
            anmeldungen""",
        "fr": """nouveaux @people; attirer .. @people; conquerir .. @people; acquisition de clients;
            plus de @people; inscriptions; prospects""",
    },
    "sales": {
        "en": """sales; revenue*; turnover; sell more; sell #; orders; conversion*; average order value; aov;
            upsell*; cross sell*; arr; mrr; bookings; occupancy; profits; profitable; profitability; margin*;
            deals; pipeline; break even; grow .. business; win .. tender*|contracts|bids|deals; ~sell*;
            income; gmv; average spend""",
        "es": """ventas; vender mas; vender #; facturacion; facturar; ingresos; pedidos; rentabilidad;
            beneficios; ocupacion; ticket medio""",
        "de": """umsatz*; *umsatz; verkauf*; absatz*; erlos*; auftrage; auftragseingang; vertrieb*; gewinn;
            rentabilitat; auslastung""",
        "fr": """ventes; chiffre d affaires; vendre plus; commandes; revenus; rentabilite; benefice*;
            taux d occupation; panier moyen; marge*""",
    },
    "awareness": {
        "en": """awareness; visibility; visible; brand recognition; recognition; get known; known for;
            reputation; pr; press; press coverage; press release*; media coverage; publicity; buzz;
            word of mouth; share of voice; reviews; ratings; rating; testimonials; star rating; award|awards;
            ~review; google|online|customer|patient|guest|client|tripadvisor|yelp|trustpilot review*;
            ask .. for .. review*; featured in; top of mind; impressions; ~profile; ~reach""",
        "es": """notoriedad; visibilidad; reconocimiento; dar a conocer; darnos a conocer; prensa;
            relaciones publicas; reputacion; resenas; valoraciones; opiniones; conocimiento de marca;
            boca a boca""",
        "de": """bekanntheit*; *bekanntheit*; sichtbarkeit*; pressearbeit; presse*; offentlichkeitsarbeit;
            bewertungen; rezensionen; ruf; mundpropaganda""",
        "fr": """notoriete; visibilite; relations presse; faire connaitre; se faire connaitre; rayonnement;
            presse; avis; avis clients; e reputation; reputation; bouche a oreille; relations publiques""",
    },
    "brand": {
        "en": """brand; branding; rebrand*; logo*; visual identity; brand identity; corporate identity;
            name the company|business|product|brand; company name; naming; positioning; brand guidelines;
            brand book; style guide; packaging; tagline; slogan; brand strategy; brand story;
            mission statement; value proposition; look and feel; colour|color palette; mascot; signage;
            ~identity""",
        "es": """imagen de marca; identidad de marca; identidad visual|corporativa; logotipo;
            posicionamiento de marca; nombre de la empresa|marca; empaque*; embalaje*; eslogan;
            manual de marca; estrategia de marca; crear .. marca; ~marca""",
        "de": """marke aufbauen|entwickeln|starken; markenaufbau; markenauftritt; markenidentitat;
            markenbildung; markenstrategie; markenkern; markenfuhrung; corporate design; positionierung;
            erscheinungsbild; namensfindung; verpackung*; ~marke""",
        "fr": """image de marque; identite visuelle; identite de marque; charte graphique; positionnement;
            nom de marque; emballage*; plateforme de marque; strategie de marque; creer .. marque; ~marque""",
    },
}


def phrases(kind: str) -> list[tuple[str, str, bool]]:
    """(language, phrase, weak) for every phrase of `kind`."""
    return [(language, phrase.lstrip("~"), phrase.startswith("~"))
            for language, block in WORDS[kind].items() for phrase in split_phrases(block)]
