"""Licences for food, alcohol, cannabis, childcare, charities and general trading, by country.

Same shape as licence_data: keyed by sector, then by ISO country (or UK nation) code.
"""

from __future__ import annotations

import re

from agents.knowledge.licence_data import Fee, Spec

S = Spec

# Food made, packed or held for sale onward (to shops, distributors, other businesses), which the
# FDA registers; a bakery, café or restaurant selling to its own customers is a retail food
# establishment and is exempt. Alcohol producers register too.
SELLS_FOOD_ONWARD = re.compile(
    r"\b(?:wholesal\w*|distribut\w*|grocer(?:y|ies|s)?|supermarkets?|retailers|stockists?|co-?pack\w*|"
    r"manufactur\w*|packaged|producers?|brewery|breweries|winery|wineries|distiller(?:y|ies)|cidery|"
    r"roaster(?:y|ies|s)?|shelves|export\w*|ship\w* (?:nationwide|across the (?:us|country)))\b",
    re.IGNORECASE,
)

_CHARITY_COMMISSION = S(
    "Charity Commission registration",
    "Charity Commission for England and Wales",
    "https://www.gov.uk/setting-up-charity",
    "Registration is needed once income passes GBP 5,000 (a CIO registers at any size).",
    (1, 3),
    Fee("0", "GBP", "Charity registration", "Free."),
)

_ENGLAND_WALES_ALCOHOL = (
    S(
        "Premises licence",
        "Local council licensing authority",
        "https://www.gov.uk/guidance/alcohol-licensing",
        "Selling alcohol needs a premises licence under the Licensing Act 2003.",
        (1, 3),
        Fee(
            "100",
            "GBP",
            "Premises licence application fee, rateable-value band A",
            "Bands A–E cost GBP 100–635, plus an annual fee of GBP 70–350.",
        ),
    ),
    S(
        "Personal licence",
        "Local council licensing authority",
        "https://www.gov.uk/guidance/alcohol-licensing",
        "A designated premises supervisor must hold a personal licence.",
        (0, 2),
        Fee("37", "GBP", "Personal licence application fee"),
    ),
)

FOOD: dict[str, tuple[Spec, ...]] = {
    "GB": (S("Food business registration", "Local council environmental health team",
             "https://www.gov.uk/food-business-registration",
             "Register with the council at least 28 days before opening; expect a food hygiene inspection.",
             (0, 1), Fee("0", "GBP", "Food business registration with the local council", "Free.")),),
    "US": (S("FDA food facility registration", "US Food and Drug Administration (FDA)",
             "https://www.fda.gov/food/guidance-regulation-food-and-dietary-supplements/"
             "registration-food-facilities-and-other-submissions",
             "Needed for facilities that make, pack or hold food sold onward; restaurants and retail food "
             "establishments are exempt.", (0, 1), Fee("0", "USD", "FDA food facility registration", "Free; "
             "renewed every even-numbered year."), only_when=SELLS_FOOD_ONWARD),
           S("State or county health permit", "State or county health department",
             "https://www.sba.gov/business-guide/launch-your-business/apply-licenses-permits",
             "Every food service or retail food establishment needs a local health permit and inspection.",
             (1, 3))),
    "DE": (S("Trade registration (Gewerbeanmeldung)", "Local Gewerbeamt", "https://www.existenzgruender.de/",
             "Every commercial business registers its trade with the town; the fee is set locally "
             "(typically about EUR 20–60).", (0, 1)),
           S("Registration with the food control authority", "Lebensmittelüberwachung (local food control "
             "office)", "https://www.bvl.bund.de/",
             "Food businesses must register under EU Regulation 852/2004 before opening.", (0, 1))),
    "FR": (S("Déclaration of a food establishment", "DDPP / DDETSPP (departmental protection of "
             "populations)", "https://mesdemarches.agriculture.gouv.fr/",
             "Businesses handling food declare the establishment (Cerfa 13984) before opening; commercial "
             "catering also needs a staff member trained in food hygiene.", (0, 1),
             Fee("0", "EUR", "Food establishment declaration to the DDPP", "Free.")),),
    "IN": (S("FSSAI registration or licence", "Food Safety and Standards Authority of India (FSSAI)",
             "https://foscos.fssai.gov.in/",
             "Basic registration up to INR 12 lakh turnover; a state licence (INR 2,000–5,000 a year) above "
             "that and a central licence (INR 7,500 a year) for large or multi-state operators.", (1, 2),
             Fee("100", "INR", "FSSAI basic registration fee per year", "State licence INR 2,000–5,000 a "
             "year; central licence INR 7,500 a year.")),),
    "AU": (S("Food business registration or licence", "Local council (under state food acts)",
             "https://www.foodstandards.gov.au/",
             "Register or license the food business with the council; several states also require a "
             "trained Food Safety Supervisor.", (0, 2)),),
    "IE": (S("Food business registration", "HSE Environmental Health Service",
             "https://www.fsai.ie/", "Register with the HSE at least 28 days before opening.", (0, 1),
             Fee("0", "EUR", "Food business registration with the HSE", "Free.")),),
    "CA": (S("Food premises permit", "Local public health unit; CFIA for interprovincial trade",
             "https://inspection.canada.ca/", "Local public health permits premises; a Safe Food for "
             "Canadians licence is needed to import or sell food across provinces.", (0, 2)),),
    "NL": (S("NVWA registration", "Netherlands Food and Consumer Product Safety Authority (NVWA)",
             "https://www.nvwa.nl/", "Food businesses must be registered with the NVWA (usually through the "
             "KvK registration).", (0, 1)),),
    "ES": (S("Sanitary registration", "AESAN / regional health authority", "https://www.aesan.gob.es/",
             "Food producers enter the RGSEAA or the regional register; outlets file a declaración "
             "responsable with the town hall.", (0, 2)),),
    "SG": (S("SFA food shop licence", "Singapore Food Agency (SFA)", "https://www.sfa.gov.sg/",
             "Food shops and caterers need an SFA licence before operating.", (0, 1)),),
    "JP": (S("Business permit under the Food Sanitation Act", "Local public health centre (hokenjo)",
             "https://www.mhlw.go.jp/", "Restaurants and food makers need a permit after a premises "
             "inspection.", (0, 1)),),
    "NZ": (S("Food control plan or national programme registration", "Local council or Ministry for Primary "
             "Industries (MPI)", "https://www.mpi.govt.nz/",
             "Register the food business under the Food Act 2014 before trading.", (0, 2)),),
}  # fmt: skip

BREWS = re.compile(r"\b(?:brew\w*|microbrewer(?:y|ies)|beer makers?)\b", re.IGNORECASE)
MAKES_WINE = re.compile(r"\b(?:winer(?:y|ies)|wine ?makers?|vineyards?|cider(?:y|ies)|meader(?:y|ies)|vintners?)\b",
                        re.IGNORECASE)
DISTILS = re.compile(r"\b(?:distill\w*|distil\w*)\b", re.IGNORECASE)

ALCOHOL: dict[str, tuple[Spec, ...]] = {
    # The federal permit is the producer's (a bar or shop that only sells needs none): one per trade.
    "US": (S("TTB Brewer's Notice", "Alcohol and Tobacco Tax and Trade Bureau (TTB)",
             "https://www.ttb.gov/", "A brewery files a Brewer's Notice with the TTB and has it approved "
             "before brewing.", (2, 4),
             Fee("0", "USD", "TTB Brewer's Notice application", "Free; federal excise tax applies to beer "
                 "removed for sale."), only_when=BREWS),
           S("TTB basic permit and bonded winery registration", "Alcohol and Tobacco Tax and Trade Bureau (TTB)",
             "https://www.ttb.gov/", "A winery (cider and mead above 8.5% alcohol count as wine) needs a TTB "
             "basic permit and registers as a bonded winery before producing.", (2, 4),
             Fee("0", "USD", "TTB winery permit application", "Free; federal excise tax applies to wine "
                 "removed for sale."), only_when=MAKES_WINE),
           S("TTB distilled spirits plant (DSP) permit", "Alcohol and Tobacco Tax and Trade Bureau (TTB)",
             "https://www.ttb.gov/", "A distillery needs a TTB basic permit and registers its distilled spirits "
             "plant before producing.", (3, 6),
             Fee("0", "USD", "TTB distilled spirits plant permit application", "Free; federal excise tax "
                 "applies to spirits removed for sale."), only_when=DISTILS),
           S("State liquor (alcohol) licence", "State alcoholic beverage control agency",
             "https://www.ttb.gov/", "Making, selling or serving alcohol also needs the state's licence "
             "(and often a local one).", (2, 6))),
    "GB-ENG": _ENGLAND_WALES_ALCOHOL,
    "GB-WLS": _ENGLAND_WALES_ALCOHOL,
    "GB-SCT": (S("Premises licence (Scotland)", "Local licensing board (Licensing (Scotland) Act 2005)",
                 "https://www.mygov.scot/", "Selling alcohol in Scotland needs a premises licence from the "
                 "local licensing board and a personal licence for the premises manager.", (2, 4)),),
    "GB": (S("Alcohol Duty approval", "HM Revenue & Customs (HMRC)", "https://www.gov.uk/",
             "Producers must be approved by HMRC for alcohol duty before production.", (1, 3)),),

    "DE": (S("Beer tax warehouse permit or restaurant permit", "Hauptzollamt (customs) and local authority",
             "https://www.zoll.de/", "Breweries need a tax-warehouse permit from customs; serving alcohol "
             "may need a Gaststättenerlaubnis depending on the Land.", (1, 3)),),
    "FR": (S("Licence de débit de boissons and customs status", "Mairie and Direction générale des douanes",
             "https://www.douane.gouv.fr/", "Serving alcohol needs a licence declared at the town hall and "
             "a permis d'exploitation; producers need customs approval.", (1, 3)),),
    "IE": (S("Excise licence", "Revenue Commissioners", "https://www.revenue.ie/",
             "Producers and sellers of alcohol need the appropriate excise or retail licence.", (1, 3)),),
    "IN": (S("State excise licence", "State Excise Department", "https://www.india.gov.in/",
             "Alcohol production and sale are licensed by each state's excise department.", (3, 12)),),
    "AU": (S("State liquor licence and ATO excise licence", "State liquor regulator and Australian Taxation "
             "Office", "https://www.ato.gov.au/", "Selling alcohol needs a state liquor licence; making beer "
             "or spirits needs an ATO excise manufacturer licence.", (2, 6)),),
    "CA": (S("Provincial liquor licence and CRA excise licence", "Provincial liquor authority (e.g. AGCO) "
             "and Canada Revenue Agency", "https://www.agco.ca/", "Selling alcohol needs a provincial "
             "licence; brewers, wineries and distillers also need federal excise licensing.", (2, 6)),),
    "NZ": (S("Alcohol licence", "District Licensing Committee (Sale and Supply of Alcohol Act 2012)",
             "https://www.justice.govt.nz/", "On-, off- and manufacturer's licences come from the local "
             "District Licensing Committee.", (1, 3)),),
    "JP": (S("Liquor licence", "National Tax Agency (local tax office)", "https://www.nta.go.jp/",
             "Producing or selling alcohol needs a licence from the tax office.", (2, 6)),),
    "SG": (S("Liquor licence", "Singapore Police Force Liquor Licensing", "https://www.police.gov.sg/",
             "Selling or serving alcohol needs a liquor licence.", (0, 2)),),
}  # fmt: skip

CANNABIS: dict[str, tuple[Spec, ...]] = {
    "CA": (S("Cannabis Act licence", "Health Canada",
             "https://www.canada.ca/en/health-canada/services/drugs-medication/cannabis.html",
             "Lawful but licensed: cultivation and processing need a Health Canada licence; retail is "
             "licensed by the province.", (6, 18)),),
    "US": (S("State cannabis licence", "State cannabis control agency",
             "https://www.dea.gov/", "Marijuana stays illegal under federal law; only some states license it "
             "and a USPTO mark cannot cover it. Hemp-derived CBD has separate FDA limits.", (6, 18)),),
    "DE": (S("Cannabis permissions", "BfArM (medical cannabis) and Land authorities (cultivation clubs)",
             "https://www.bfarm.de/", "Since April 2024 adults may grow privately and join non-commercial "
             "clubs; commercial sale of recreational cannabis is still not lawful.", (6, 12)),),
    "GB": (S("Home Office controlled drugs licence", "Home Office",
             "https://www.gov.uk/guidance/controlled-drugs-licences-fees-and-returns",
             "Recreational cannabis is illegal; cultivation for medical or research use needs a Home Office "
             "licence, and CBD foods need FSA novel-food authorisation.", (6, 12)),),
    "AU": (S("ODC cannabis licence", "Office of Drug Control (ODC)", "https://www.odc.gov.au/",
             "Only medicinal cannabis is lawful, under ODC cultivation and manufacture licences.", (6, 12)),),
    "NL": (S("Tolerance policy and pilot licences", "Municipality and Ministry of Health",
             "https://www.government.nl/topics/drugs", "Coffee-shop sale is tolerated, not legal; supply is "
             "lawful only inside the government's closed-chain pilot.", None),),
    "IN": (S("NDPS Act restrictions", "Narcotics Control Bureau and State Excise Department",
             "https://narcoticsindia.nic.in/", "Cannabis is prohibited under the NDPS Act except narrow "
             "state excise permissions; treat it as not lawful.", None),),
}  # fmt: skip

CHILDCARE: dict[str, tuple[Spec, ...]] = {
    "GB-ENG": (S("Ofsted registration (Early Years Register)", "Ofsted",
             "https://www.gov.uk/government/organisations/ofsted",
             "Childcare for under-fives in England must be registered with Ofsted before opening.", (3, 6),
             Fee("220", "GBP", "Ofsted registration fee for childcare on non-domestic premises",
                 "Childminders pay GBP 35; annual fees follow.")),),
    "GB-SCT": (S("Care Inspectorate registration", "Care Inspectorate", "https://www.careinspectorate.com/",
                 "Day care of children in Scotland registers with the Care Inspectorate.", (3, 6)),),
    "GB-NIR": (S("Early years registration", "Health and Social Care Trust (early years team)",
                 "https://www.nidirect.gov.uk/", "Day care in Northern Ireland registers with the local "
                 "Health and Social Care Trust.", (3, 6)),),
    "GB-WLS": (S("CIW registration", "Care Inspectorate Wales (CIW)", "https://www.careinspectorate.wales/",
                 "Childcare in Wales registers with CIW.", (3, 6)),),
    "US": (S("State child care licence", "State child care licensing agency", "https://childcare.gov/",
             "Centres and family child care homes need the state's licence and inspections.", (3, 6)),),
    "AU": (S("Service approval under the National Quality Framework", "State regulatory authority (ACECQA "
             "framework)", "https://www.acecqa.gov.au/", "Early childhood services need provider and "
             "service approval.", (3, 6)),),
    "CA": (S("Provincial child care licence", "Provincial ministry (e.g. Ontario Ministry of Education)",
             "https://www.ontario.ca/", "Child care centres need a provincial licence.", (3, 6)),),
    "DE": (S("Betriebserlaubnis (§ 45 SGB VIII)", "Landesjugendamt", "https://www.bmfsfj.de/",
             "A Kita needs an operating permit from the Land youth welfare office.", (3, 9)),),
    "FR": (S("Autorisation d'ouverture", "Conseil départemental (PMI)", "https://monenfant.fr/",
             "A crèche needs authorisation after a PMI review.", (3, 9)),),
    "IE": (S("Tusla early years registration", "Tusla – Child and Family Agency", "https://www.tusla.ie/",
             "Early years services register with Tusla before opening.", (3, 6)),),
    "NL": (S("Landelijk Register Kinderopvang", "Municipality (GGD inspection)",
             "https://www.landelijkregisterkinderopvang.nl/", "Childcare must be in the national register "
             "after a GGD inspection.", (2, 4)),),
    "NZ": (S("Early childhood education licence", "Ministry of Education", "https://www.education.govt.nz/",
             "ECE services need a Ministry licence.", (3, 9)),),
    "SG": (S("ECDA licence", "Early Childhood Development Agency (ECDA)", "https://www.ecda.gov.sg/",
             "Preschools need an ECDA licence.", (3, 6)),),
    "JP": (S("Nursery notification or approval", "Prefecture or designated city",
             "https://www.cfa.go.jp/", "Nurseries need approval (ninka) or, for unlicensed ones, "
             "notification.", (3, 12)),),
    "IN": (S("State registration", "State women and child development department",
             "https://www.india.gov.in/", "No single national licence; follow state rules and register "
             "under the state Shops and Establishments Act.", (1, 3)),),
}  # fmt: skip

NONPROFIT: dict[str, tuple[Spec, ...]] = {
    "US": (S("IRS recognition of tax exemption (Form 1023 or 1023-EZ)", "Internal Revenue Service (IRS)",
             "https://www.irs.gov/charities-non-profits/form-1023-and-1023-ez-amount-of-user-fee",
             "501(c)(3) status makes donations deductible; most states also require charitable solicitation "
             "registration.", (3, 9)),),  # its fees (Form 1023 and 1023-EZ) are formation.py's IRS facts
    "GB-ENG": (_CHARITY_COMMISSION,),
    "GB-WLS": (_CHARITY_COMMISSION,),
    "GB-NIR": (S("CCNI registration", "Charity Commission for Northern Ireland (CCNI)",
                 "https://www.charitycommissionni.org.uk/", "Charities in Northern Ireland register with "
                 "the CCNI.", (1, 3)),),
    "GB-SCT": (S("OSCR registration", "Scottish Charity Regulator (OSCR)", "https://www.oscr.org.uk/",
                 "Charities in Scotland register with OSCR.", (1, 3)),),
    "IE": (S("Charities Regulator registration", "Charities Regulator", "https://www.charitiesregulator.ie/",
             "Every charity operating in Ireland must register.", (2, 6)),),
    "CA": (S("CRA registered charity status", "Canada Revenue Agency (CRA)",
             "https://www.canada.ca/en/revenue-agency/services/charities-giving/charities.html",
             "Registration lets the charity issue tax receipts.", (3, 9)),),
    "AU": (S("ACNC registration", "Australian Charities and Not-for-profits Commission (ACNC)",
             "https://www.acnc.gov.au/", "Registration is free and needed for tax concessions.", (1, 3)),),
    "NZ": (S("Charities Services registration", "Charities Services (Department of Internal Affairs)",
             "https://www.charities.govt.nz/", "Registration is free and needed for tax exemptions.",
             (1, 3)),),
    "IN": (S("Section 12A and 80G registration", "Income Tax Department",
             "https://www.incometax.gov.in/", "Needed for tax exemption and donor deductions; FCRA "
             "registration is needed for foreign donations.", (1, 6)),),
    "DE": (S("Recognition as gemeinnützig", "Finanzamt", "https://www.bundesfinanzministerium.de/",
             "The tax office confirms charitable status so donations are deductible.", (1, 3)),),
    "FR": (S("Déclaration d'association", "Préfecture", "https://www.service-public.fr/associations",
             "A loi 1901 association is declared online to the prefecture.", (0, 1)),),
    "SG": (S("Charity registration", "Commissioner of Charities", "https://www.charities.gov.sg/",
             "Charitable purposes need registration with the Commissioner.", (1, 3)),),
    "JP": (S("NPO corporation certification", "Prefecture or designated city",
             "https://www.npo-homepage.go.jp/",
             "Specified non-profit corporations need certification before registration.", (3, 6)),),
    "NL": (S("ANBI status", "Belastingdienst", "https://www.belastingdienst.nl/",
             "ANBI status makes gifts tax-deductible.", (1, 3)),),
    "ES": (S("Registro de Asociaciones", "Ministry of the Interior or regional registry",
             "https://www.interior.gob.es/", "Associations register to gain legal personality.", (1, 3)),),
}  # fmt: skip

GENERAL: dict[str, tuple[Spec, ...]] = {
    "US": (S("City or county business licence", "City or county licensing office",
             "https://www.sba.gov/business-guide/launch-your-business/apply-licenses-permits",
             "Most cities and counties require a general business licence, and selling goods needs a state "
             "sales tax permit.", (0, 1)),),
    "DE": (S("Trade registration (Gewerbeanmeldung)", "Local Gewerbeamt", "https://www.existenzgruender.de/",
             "Commercial businesses (not liberal professions) register their trade with the town; the fee is "
             "set locally.", (0, 1)),),
    "IN": (S("Shops and Establishments registration", "State labour department", "https://www.india.gov.in/",
             "Premises with staff register under the state Shops and Establishments Act; GST registration "
             "follows above the turnover threshold.", (0, 1)),),
    "ES": (S("Licencia de actividad / declaración responsable", "Town hall (ayuntamiento)",
             "https://paeelectronico.es/", "Premises open to the public need an activity licence or a "
             "responsible declaration.", (0, 3)),),
}  # fmt: skip
