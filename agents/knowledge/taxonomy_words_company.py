"""Synonyms of the objectives about setting the company up: formation, trademark, licences,
nonprofit status, funding, hiring, insurance, accounting, privacy and compliance.

Data for taxonomy_words.py, in its language: phrases separated by ";", weak ones starting with "~".
"""

from __future__ import annotations

COMPANY_WORDS: dict[str, dict[str, str]] = {
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
    # What a product must pass before it may be sold: tests at an accredited lab, not a permit to trade.
    # An audit of the company's security controls by an outside auditor: policies, controls, evidence.
    "security_audit": {
        "en": """soc 2; soc2; soc 1; soc 2 type*; iso 27001; iso iec 27001; pci; pci dss; cyber essentials*;
            hitrust; security audit*; security certification; penetration test*; pen test*; pentest*""",
        "es": """auditoria de seguridad; certificacion iso 27001; esquema nacional de seguridad""",
        "de": """iso 27001 zertifizierung; sicherheitsaudit*; informationssicherheit*; penetrationstest*""",
        "fr": """audit de securite; certification iso 27001; securite de l information; test d intrusion""",
    },
    "product_safety": {
        "en": """ul #; ul listed|listing|certification|certified|mark; ce mark*; ukca; fcc certification|id|approval;
            fcc part 15; etl listed|listing|certification|certified; product safety; safety certification|testing;
            cpsc; cpsia; rohs; en 71; astm f963; iec 62133; declaration of conformity; conformity assessment;
            product testing; lab testing""",
        "es": """marcado ce; seguridad del producto|de producto; certificacion de seguridad; ensayos de producto;
            declaracion de conformidad""",
        "de": """ce kennzeichnung*; ce zeichen; produktsicherheit*; konformitatserklarung*; ul zertifizierung*;
            produktprufung*""",
        "fr": """marquage ce; securite des produits|du produit; certification de securite; declaration de conformite;
            essais de produit*""",
    },
    "licensing": {
        "en": """licence|license|licences|licenses|licensing|licensed; permit|permits;
            authorisation|authorization; get|become|be|obtain authorised|authorized; fca; bafin; fssai; finra;
            fincen; money transmitter; msb registration; emi; e money; alcohol licence|license; tabc; ttb;
            brewers notice; brewer s notice; food hygiene|safety; food business registration; health permit;
            health department; inspection|inspections; fda; 510 k; regulatory approval;
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
    # A grant is applied for against a funder's criteria: a proposal, not an investor process.
    "grants": {
        "en": """grant|grants; grant application*; grant funding; subsidy; subsidies; subsidised|subsidized loan*;
            innovation voucher*; innovation funding""",
        "es": """subvencion*; ayudas publicas; ayuda publica; convocatoria de ayudas""",
        "de": """fordermittel*; forderprogramm*; forderantrag*; zuschuss; zuschusse; forderung .. beantragen""",
        "fr": """subvention*; aide publique; aides publiques; appel a projets""",
    },
    "fundraising": {
        "en": """raise .. seed; seed round|funding|capital|investment; pre seed; series a|b|c;
            raise .. capital|funding|money|round|investment|financing; raise #; investor*;
            angel investor*; business angels; venture capital; vc funding; vc; funding round;
            secure|obtain .. funding|financing|investment|loan; crowdfund*;
            kickstarter; indiegogo; seedrs; crowdcube; convertible note*; safe note*; pitch deck;
            bridge round; fundrais*;
            bank loan; business loan; sba loan; loan; financing; term sheet; close .. round""",
        "es": """ronda de financiacion|financiamiento|inversion; ronda semilla; ronda pre semilla;
            levantar .. capital|fondos|ronda|inversion; levantar #; recaudar .. fondos|#;
            recaudacion de fondos; captar .. inversion|fondos|capital|inversores; inversor*; inversionista*;
            capital riesgo; capital de riesgo; capital semilla; financiacion; financiamiento;
            micromecenazgo; crowdfunding; prestamo*""",
        "de": """*finanzierung*; investor*; kapital .. aufnehmen|beschaffen|einsammeln; kapitalbeschaffung;
            seed runde; risikokapital; wagniskapital; business angel*;
            crowdfunding; kredit*; darlehen; geld .. einsammeln""",
        "fr": """levee de fonds; lever .. fonds; lever #; investisseur*; tour de table; tour de financement;
            capital risque; financement*; amorcage; financement participatif;
            collecter .. fonds; collecte de fonds; pret bancaire; pret; bpifrance""",
    },
    "donations": {
        "en": """donation*; donor*; donate*; raise .. donations|gifts; giving tuesday; year end giving;
            giving campaign*|day; charitable giving; monthly giving; fundraising appeal*; appeal for donations""",
        "es": """donaciones; donacion; donantes; donante*; recaudar .. donaciones; campana de donaciones""",
        "de": """spenden*; spender*; spendenaktion*; spendenkampagne*; spendenaufruf""",
        "fr": """dons; don en ligne; donateurs; donatrices; collecter .. dons; appel aux dons""",
    },
    "volunteers": {
        "en": """volunteer*; recruit|find|attract|enlist|sign up|mobilise|mobilize .. volunteer*""",
        "es": """voluntari*; voluntariado""",
        "de": """ehrenamt*; freiwillig* .. gewinnen|finden|helfer*; freiwillige; helfer* gewinnen""",
        "fr": """benevole*; benevolat""",
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
    # The documents customers and suppliers sign: templates a lawyer drafts once.
    "contracts": {
        "en": """terms of service|use; terms and conditions; draft .. contract*|agreements; contract templates;
            customer|supplier|client|employment|service contract*; legal terms; disclaimer*; engagement letter*;
            service agreement*; master services agreement; nda; ndas; non disclosure agreement*""",
        "es": """terminos y condiciones; condiciones de uso; redactar .. contratos; contratos con clientes|proveedores;
            contrato*; acuerdo de confidencialidad""",
        "de": """agb; vertrage; vertrag; *vertrag; *vertrage; geheimhaltungsvereinbarung*""",
        "fr": """cgv; cgu; contrat; contrats; conditions generales; accord de confidentialite""",
    },
    # Selling what the law restricts by age (alcohol, tobacco, vapes): ID asked, refusals logged.
    "age_checks": {
        "en": """age-verification|age-checks|id-checks; age verification|checks; check id|ids|ages;
            challenge 21|25; think 25; proof of age; responsible service""",
        "es": """verificar la edad; control de edad; comprobar la edad; pedir identificacion""",
        "de": """alterskontrolle*; altersprufung*; ausweiskontrolle*; alter prufen""",
        "fr": """verification de l age; controle de l age; verifier l age""",
    },
    "compliance_privacy": {
        "en": """gdpr; uk gdpr; privacy; data protection;
            cookie banner*|consent|policy|policies|notice|law|compliance|rules|settings; ccpa; cpra; hipaa;
            pipeda; pdpa; appi; lgpd; dpdp; privacy policy; accessibility;
            ada compliance; wcag; compliance; compliant; comply*; data processing agreement;
            aml; kyc; regulatory compliance; consumer duty; employee|staff handbook; data breach*;
            customer|personal|patient|user data; cyber security""",
        "es": """rgpd; lopd; lopdgdd; proteccion de datos; privacidad; aviso legal; aviso|politica de cookies;
            aviso de privacidad; lfpdppp; cumplimiento; cumplir con; normativa""",
        "de": """dsgvo; datenschutz*; cookie hinweis|banner|richtlinie; impressum; agb; datenschutzerklarung;
            barrierefreiheit""",
        "fr": """rgpd; cnil; protection des donnees; donnees personnelles; confidentialite; mentions legales;
            conformite; accessibilite; bandeau cookies; politique de cookies""",
    },
}
