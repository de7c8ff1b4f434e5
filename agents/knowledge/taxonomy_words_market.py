"""Synonyms of the objectives about going to market: launching, locations, channels, pricing,
marketing, sales and the brand.

Data for taxonomy_words.py, in its language: phrases separated by ";", weak ones starting with "~".
"""

from __future__ import annotations

MARKET_WORDS: dict[str, dict[str, str]] = {
    "launch": {
        "en": """launch*; relaunch*; go to market; gtm; open for business; open .. doors; grand opening;
            soft launch; go live; start trading; start selling; begin trading; start the business;
            start a|an|our business|company|brand|practice|studio; bring .. to market; take .. to market;
            debut; ~release*; open a|an|the|our .. @venue; open in; open by|before|on; opening day""",
        "es": """lanzar*; lanzamiento; relanzar; abrir; apertura; inaugurar; inauguracion; poner en marcha;
            salir al mercado; llegar al mercado; comercializar; iniciar operaciones; arrancar;
            empezar a vender; estrenar""",
        "de": """einfuhren; *einfuhrung; starten; start; launch*; eroffnen; eroffnung; *eroffnung;
            markteintritt; auf den markt bringen; marktstart; an den start""",
        "fr": """lancer; lancement; lance; lancee; relancer; ouvrir; ouverture; demarrer; demarrage;
            mise sur le marche; mettre sur le marche; commercialiser; commercialisation; inaugurer;
            inauguration""",
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
    # Exhibiting on someone else's floor: a stand, what it shows and the leads it brings back.
    "trade_show": {
        "en": """trade show*; trade fair*; expo; expos; exhibition stand*; exhibit|exhibiting|exhibitor .. at;
            exhibit at; booth at; stand at; trade|design|furniture|food|wine|industry|b2b|gift fair*;
            exhibition*""",
        "es": """feria*; stand en .. feria*; expositor*""",
        "de": """messe; *messe; messestand*; messeauftritt*; aussteller*""",
        "fr": """salon professionnel; salons professionnels; salon professionnel*|international|du|des; foire*;
            exposant*""",
    },
    "events": {
        "en": """event|events; launch party; pop up*; popup*; conference*; festival*; open day*; open house;
            workshops;
            host|run|hold|organise|organize .. workshop*; tasting event*|evening*|night*; tastings;
            wine|beer|coffee tasting*; cupping*; meetup*; webinar*; summit; gala;
            farmers|craft|holiday|christmas|makers market*; craft fair*; market stall;
            opening party|night|event; ribbon cutting; hackathon""",
        "es": """evento*; fiesta de lanzamiento|inauguracion; talleres; organizar .. taller*;
            degustacion*; cata; catas; jornada de puertas abiertas; puertas abiertas; congreso*;
            exposicion""",
        "de": """veranstaltung*; eroffnungsfeier; eroffnungsfest;
            eroffnungsparty; verkostung*; weinprobe*; tag der offenen tur; konferenz*""",
        "fr": """evenement*; evenementiel; soiree de lancement; ateliers;
            animer|organiser .. atelier*; degustation*; portes ouvertes; webinaire*; foire*""",
    },
    "pricing": {
        "en": """pricing; price; prices; price point*; rate card; subscription tiers|plans""",
        "es": """precio*; tarifa*; estrategia de precios; fijacion de precios""",
        "de": """preis*; *preis; *preise; preisgestaltung; tarif*""",
        "fr": """prix; tarif*; tarification; politique tarifaire; grille tarifaire""",
    },
    # Pieces printed and put in people's hands: a print run and its delivery, not a media budget.
    "print": {
        "en": """flyer*; leaflet*; brochure*; postcard*; door hanger*; direct mail; mailer*; mailshot*;
            print run""",
        "es": """folleto*; volante*; flyer*; octavilla*; buzoneo""",
        "de": """flyer*; handzettel*; prospekt*; postwurf*; broschure*""",
        "fr": """flyer*; prospectus; tract; tracts; depliant*; boitage""",
    },
    "advertising": {
        "en": """ad|ads; advert*; advertis*; paid campaign*|social|search|media; ppc; google ads; adwords;
            meta ads; campaign*; billboard*; radio spot*|ad*; tv; television; print ad*; promot*; retargeting;
            sem; sponsored posts; bus shelter*; ~marketing;
            ~market our|the|to""",
        "es": """publicidad; publicitar*; anuncio*; campana*; vallas publicitarias; promocion*; promocionar*""",
        "de": """werbung; *werbung; werbe*; bewerben; kampagne*; *kampagne; anzeige*; plakat*""",
        "fr": """publicite*; ~pub; ~pubs; campagne*; annonce*; affichage; affiches; sponsoris*; promouvoir""",
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
            new site; booking site; booking system; online booking*; table reservations|bookings;
            reservations|bookings|appointments online; book .. online; wordpress; webflow; squarespace; wix;
            web presence; microsite; ~web; ~site""",
        "es": """sitio web; pagina web; web corporativa; nueva web; la web; pagina de aterrizaje;
            reservas online; reservas en linea""",
        "de": """webseite*; *webseite; internetauftritt*; internetseite*; landingpage*; webauftritt*;
            online buchung*""",
        "fr": """site web; site internet; site vitrine; page d atterrissage; refonte du site;
            reservation en ligne""",
    },
    # Being findable where people look for a place nearby: set up once, free, not a paid campaign.
    "local_listings": {
        "en": """google business profile*; google my business; business profile on google; google maps;
            apple maps; apple business connect; bing places; local listing*; directory listing*;
            online directories; local seo; listed on google|maps|yelp|tripadvisor; yelp page|listing|profile;
            tripadvisor page|listing|profile""",
        "es": """perfil de empresa en google; ficha de google; google my business; google maps;
            directorios locales; seo local""",
        "de": """google unternehmensprofil; google my business; google maps; branchenbuch*; lokales seo;
            branchenverzeichnis*""",
        "fr": """fiche google; fiche d etablissement; profil d etablissement; google my business; google maps;
            annuaires locaux; referencement local""",
    },
    # Named business buyers won one by one (enterprise pilots, key accounts): outbound, not paid social.
    "b2b_sales": {
        "en": """enterprise .. @people; enterprise pilot*; enterprise deals; pilot @people; paying pilots;
            design partner*; b2b @people; corporate @people; business @people; key accounts; target accounts;
            outbound; outbound sales; book .. demos|meetings; sales meetings; account based""",
        "es": """clientes empresariales|corporativos; grandes cuentas; clientes b2b; prospeccion comercial;
            pilotos con empresas""",
        "de": """firmenkunden*; geschaftskunden*; b2b kunden; grosskunden*; unternehmenskunden*; pilotkunden*""",
        "fr": """grands comptes; clients b2b; clients professionnels; clients entreprises; prospection commerciale;
            clients pilotes""",
    },
    "customer_acquisition": {
        "en": """# new? @people; # .. @people; new @people; sign|signing|onboard|land .. @people; wishlist*;
            more @people; attract* .. @people; acquire* .. @people; win .. @people; gain .. @people;
            customer acquisition; lead generation; generate .. leads; leads; signups; sign ups; waitlist;
            wait list; foot traffic; footfall; walk ins; user base; user growth""",
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
    # Asking real customers for reviews after they bought: a request flow, not a media budget.
    "reviews": {
        "en": """reviews; ratings; rating; testimonials; star rating; ~review; five star*; 5 star*;
            google|online|customer|patient|guest|client|tripadvisor|yelp|trustpilot review*;
            ask .. for .. review*""",
        "es": """resenas; valoraciones; opiniones""",
        "de": """bewertungen; *bewertungen; rezensionen; sterne bewertung*""",
        "fr": """avis; avis clients; avis google; notes clients""",
    },
    "awareness": {
        "en": """awareness; visibility; visible; brand recognition; recognition; get known; known for;
            reputation; pr; press; press coverage; press release*; media coverage; publicity; buzz;
            word of mouth; share of voice; award|awards; featured in; top of mind; impressions; ~profile;
            ~reach""",
        "es": """notoriedad; visibilidad; reconocimiento; dar a conocer; darnos a conocer; prensa;
            relaciones publicas; reputacion; conocimiento de marca; boca a boca""",
        "de": """bekanntheit*; *bekanntheit*; sichtbarkeit*; pressearbeit; presse*; offentlichkeitsarbeit;
            ruf; mundpropaganda""",
        "fr": """notoriete; visibilite; relations presse; faire connaitre; se faire connaitre; rayonnement;
            presse; e reputation; reputation; bouche a oreille; relations publiques""",
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
