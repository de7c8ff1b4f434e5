"""Sector licences by country: who regulates what, where it is applied for, and known fees.

Keyed by sector, then by ISO country code; a UK nation code ("GB-SCT") holds what only that
nation has, and "GB-ENG" doubles as the default when a UK place names no nation. A fee is given
only where the regulator publishes a fixed figure; otherwise the licence is listed with no
amount and the reason says what the cost depends on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Fee:
    amount: str
    currency: str
    what: str
    note: str = ""


@dataclass(frozen=True)
class Spec:
    name: str
    regulator: str
    source_url: str
    why: str
    months: tuple[int, int] | None = None
    fee: Fee | None = None
    # Only for a business whose industry or objectives match (None: every business of the sector).
    only_when: re.Pattern[str] | None = None


S = Spec

FINANCE: dict[str, tuple[Spec, ...]] = {
    "US": (S("FinCEN money services business registration", "Financial Crimes Enforcement Network (FinCEN)",
             "https://www.fincen.gov/money-services-business-msb-registration",
             "Money transmitters and other money services businesses must register with FinCEN within 180 "
             "days of starting.", (0, 1),
             Fee("0", "USD", "FinCEN MSB registration fee", "Free; renew every two years.")),
           S("State money transmitter licences", "State financial regulators through NMLS",
             "https://mortgage.nationwidelicensingsystem.org/",
             "Moving customer money needs a licence in most states where customers are, each with its own "
             "fee, surety bond and net-worth rules.", (6, 18)),
           S("Investment adviser or broker-dealer registration",
             "SEC and FINRA (or state securities regulators)",
             "https://www.sec.gov/", "Advising on or dealing in securities needs SEC or state registration; "
             "broker-dealers must also join FINRA.", (3, 12))),
    "GB": (S("FCA authorisation or registration", "Financial Conduct Authority (FCA)",
             "https://www.fca.org.uk/firms/authorisation",
             "Regulated activities (payments, e-money, lending, investments, crypto-asset registration) need "
             "FCA permission first. The application fee depends on the FCA pricing category of the "
             "permissions sought (FEES 3 Annex 1AR); payment institutions fall in categories 3 to 5.",
             (6, 12)),),
    "DE": (S("BaFin licence (KWG, ZAG or MiCAR)", "Federal Financial Supervisory Authority (BaFin)",
             "https://www.bafin.de/EN/", "Banking, payment, e-money, investment and crypto-asset services "
             "need a BaFin licence or registration before starting.", (6, 12)),),
    "FR": (S("ACPR or AMF authorisation", "ACPR (banking, payments, insurance) and AMF (investments, crypto)",
             "https://acpr.banque-france.fr/en", "Payment, e-money, credit and insurance firms are licensed "
             "by the ACPR; investment services and crypto-asset providers by the AMF.", (3, 12)),),
    "IE": (S("Central Bank of Ireland authorisation", "Central Bank of Ireland",
             "https://www.centralbank.ie/regulation/authorisations", "Payment, e-money, credit, investment "
             "and insurance firms need Central Bank authorisation.", (6, 12)),),
    "NL": (S("DNB or AFM licence",
             "De Nederlandsche Bank (DNB) and Dutch Authority for the Financial Markets (AFM)",
             "https://www.dnb.nl/en/", "DNB licenses banks, payment and e-money institutions; the AFM "
             "licenses investment firms and crypto-asset service providers.", (6, 12)),),
    "ES": (S("Banco de España or CNMV authorisation", "Banco de España and Comisión Nacional del Mercado de "
             "Valores (CNMV)", "https://www.bde.es/", "Payment, e-money and credit institutions are "
             "authorised by the Banco de España; investment firms and crypto-asset providers by the CNMV.",
             (6, 12)),),
    "AU": (S("Australian financial services licence (AFSL)", "Australian Securities and Investments "
             "Commission (ASIC)", "https://asic.gov.au/for-finance-professionals/afs-licensees/",
             "Financial products and advice need an AFSL (credit needs an Australian credit licence; "
             "remittance and digital currency exchanges also register with AUSTRAC).", (6, 12),
             Fee("3721", "AUD", "ASIC application fee for a retail AFSL, body corporate, low complexity",
                 "2024–25 schedule (AUD 7,537 for high complexity); ASIC indexes it every 1 July.")),),
    "NZ": (S("Financial Service Providers Register registration and FMA licence",
             "Companies Office (FSPR) and Financial Markets Authority (FMA)", "https://www.fma.govt.nz/",
             "Financial service providers register on the FSPR; advice, derivatives and other market "
             "services also need an FMA licence.", (1, 6)),),
    "IN": (S("RBI or SEBI authorisation", "Reserve Bank of India (RBI) and Securities and Exchange Board of "
             "India (SEBI)", "https://www.rbi.org.in/", "Payment aggregators, NBFCs and prepaid instruments "
             "need RBI authorisation; investment advisers and brokers register with SEBI.", (6, 18)),),
    "SG": (S("MAS licence (Payment Services Act or Securities and Futures Act)",
             "Monetary Authority of Singapore (MAS)", "https://www.mas.gov.sg/",
             "Payment services, digital payment tokens and capital markets services need an MAS licence.",
             (6, 12)),),
    "JP": (S("FSA registration", "Financial Services Agency (FSA) and Local Finance Bureaus",
             "https://www.fsa.go.jp/en/", "Funds transfer services, prepaid instruments, crypto-asset "
             "exchanges and financial instruments businesses must register with the FSA.", (6, 12)),),
    "CA": (S("FINTRAC money services business registration", "Financial Transactions and Reports Analysis "
             "Centre of Canada (FINTRAC)", "https://fintrac-canafe.canada.ca/",
             "Money services businesses, including crypto dealers, register with FINTRAC before operating.",
             (1, 3), Fee("0", "CAD", "FINTRAC MSB registration fee", "Free; renew every two years.")),
           S("Retail payment provider registration", "Bank of Canada (Retail Payment Activities Act)",
             "https://www.bankofcanada.ca/core-functions/retail-payments-supervision/",
             "Payment service providers register with the Bank of Canada.", (2, 6)),
           S("Provincial securities registration",
             "Provincial securities regulators (e.g. Ontario Securities Commission)",
             "https://www.securities-administrators.ca/",
             "Dealers and advisers register with the securities regulator of each province they serve.",
             (3, 9))),
}  # fmt: skip

HEALTH: dict[str, tuple[Spec, ...]] = {
    "US": (S("State medical or dental board licences", "State medical and dental boards",
             "https://www.fsmb.org/contact-a-state-medical-board/",
             "Every clinician needs a licence from the board of the state where patients are seen.", (2, 6)),
           S("HIPAA privacy and security compliance", "HHS Office for Civil Rights (OCR)",
             "https://www.hhs.gov/hipaa/", "Not a licence, but clinics that bill insurers must follow HIPAA "
             "rules for patient data from day one."),
           S("DEA registration (if prescribing controlled substances)",
             "Drug Enforcement Administration (DEA)", "https://www.deadiversion.usdoj.gov/",
             "Prescribers of controlled substances register per state of practice.", (1, 2),
             Fee("888", "USD", "DEA practitioner registration fee, three years"))),
    "GB-ENG": (S("CQC registration", "Care Quality Commission (CQC)",
                 "https://www.cqc.org.uk/guidance-providers/registration",
                 "Providers of regulated activities in England must register with the CQC before treating "
                 "patients. There is no separate application fee: an annual fee applies from registration, "
                 "set by service type and size in the CQC fees scheme.", (3, 6)),),
    "GB": (S("Professional registration of clinicians", "General Medical Council / General Dental Council",
             "https://www.gmc-uk.org/", "Each doctor or dentist must be on the GMC or GDC register."),),
    "GB-SCT": (S("Healthcare Improvement Scotland registration", "Healthcare Improvement Scotland",
                 "https://www.healthcareimprovementscotland.scot/",
                 "Independent clinics in Scotland register with Healthcare Improvement Scotland.", (3, 6)),),
    "GB-WLS": (S("HIW registration", "Healthcare Inspectorate Wales (HIW)", "https://www.hiw.org.uk/",
                 "Independent healthcare services in Wales register with HIW.", (3, 6)),),
    "GB-NIR": (S("RQIA registration", "Regulation and Quality Improvement Authority (RQIA)",
                 "https://www.rqia.org.uk/", "Independent clinics in Northern Ireland register with RQIA.",
                 (3, 6)),),
    "IN": (S("Clinical establishment registration", "State health department (registering authority under "
             "the Clinical Establishments Act 2010 or the state's own law)",
             "https://clinicalestablishments.mohfw.gov.in/",
             "Clinics register with the district or state authority, under the Clinical Establishments Act "
             "in adopting states or a state law such as Karnataka's Private Medical Establishments Act.",
             (1, 3)),
           S("Bio-medical waste authorisation", "State Pollution Control Board",
             "https://cpcb.nic.in/", "Any clinic generating bio-medical waste needs authorisation.", (1, 3))),
    "DE": (S("Licence to practise and chamber membership", "Landesärztekammer / Landeszahnärztekammer",
             "https://www.bundesaerztekammer.de/", "Doctors and dentists need their Approbation and must "
             "join the chamber of their Land."),
           S("Admission to statutory health insurance", "Kassenärztliche Vereinigung (KV / KZV)",
             "https://www.kbv.de/", "Treating statutory-insurance patients needs a KV admission (Zulassung), "
             "often limited by planning areas.", (3, 12))),
    "AU": (S("AHPRA practitioner registration", "Australian Health Practitioner Regulation Agency (AHPRA)",
             "https://www.ahpra.gov.au/", "Every practitioner registers with the relevant National Board "
             "through AHPRA; day-procedure facilities also need a state licence.", (1, 3)),),
    "SG": (S("MOH licence under the Healthcare Services Act", "Ministry of Health (MOH)",
             "https://www.moh.gov.sg/", "Outpatient medical and dental services need an HCSA licence before "
             "opening.", (1, 3)),),
    "CA": (S("Provincial college registration", "Provincial regulatory colleges (e.g. College of Physicians "
             "and Surgeons of Ontario)", "https://www.cpso.on.ca/",
             "Clinicians register with their province's college; some clinic types also need provincial "
             "facility approval.", (2, 6)),),
    "FR": (S("Ordre registration and ARS formalities", "Ordre des médecins / chirurgiens-dentistes and the "
             "Agence régionale de santé (ARS)", "https://www.ars.sante.fr/",
             "Practitioners register with their Ordre; health centres declare to the regional ARS.",
             (1, 3)),),
    "IE": (S("Professional registration", "Medical Council / Dental Council of Ireland",
             "https://www.medicalcouncil.ie/",
             "Each doctor or dentist must be registered before practising."),),
    "NL": (S("BIG registration and Wtza notification", "CIBG (BIG register) and the Health and Youth Care "
             "Inspectorate", "https://www.bigregister.nl/",
             "Professionals are BIG-registered; new care providers report under the Wtza before starting.",
             (1, 3)),),
    "ES": (S("Autorización sanitaria de funcionamiento", "Regional health department (Consejería de Sanidad)",
             "https://www.sanidad.gob.es/", "Clinics need a sanitary operating authorisation from the "
             "autonomous community.", (2, 6)),),
    "NZ": (S("Professional registration", "Medical Council / Dental Council of New Zealand",
             "https://www.mcnz.org.nz/", "Each practitioner needs a practising certificate."),),
    "JP": (S("Clinic opening notification", "Local public health centre (hokenjo), Medical Care Act",
             "https://www.mhlw.go.jp/", "A clinic must notify the public health centre within 10 days of "
             "opening.", (0, 1)),),
}  # fmt: skip
