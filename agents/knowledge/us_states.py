"""US state filing fees: LLC formation and foreign-corporation qualification, for 50 states and DC.

Standard online filing fees of each Secretary of State (or equivalent), without expedite or
registered-agent costs. A Delaware C-corporation that operates elsewhere pays the qualification
fee of the state where it actually does business, so both columns are needed.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StateFees:
    name: str
    llc: int  # articles of organization / certificate of formation
    foreign_corp: int  # application for a certificate of authority for an out-of-state corporation
    source_url: str
    llc_note: str = ""
    corp_note: str = ""


STATES: dict[str, StateFees] = {
    "AL": StateFees("Alabama", 200, 150, "https://www.sos.alabama.gov/business-entities",
                    "A name reservation (USD 28) must be filed first.",
                    "A name reservation (USD 28) must be filed first."),
    "AK": StateFees("Alaska", 250, 350, "https://www.commerce.alaska.gov/web/cbpl/Corporations.aspx",
                    "Biennial report USD 100."),
    "AZ": StateFees("Arizona", 50, 175, "https://azcc.gov/corporations"),
    "AR": StateFees("Arkansas", 45, 270, "https://www.sos.arkansas.gov/business-commercial-services-bcs",
                    "Online fee; USD 50 on paper. Annual franchise tax report from USD 150.",
                    "Online fee; USD 300 on paper."),
    "CA": StateFees("California", 70, 100, "https://www.sos.ca.gov/business-programs/business-entities",
                    "California also charges an USD 800 minimum franchise tax every year (Franchise Tax "
                    "Board), plus a USD 20 Statement of Information every two years.",
                    "The USD 800 minimum franchise tax applies to qualified foreign corporations too."),
    "CO": StateFees("Colorado", 50, 100, "https://www.coloradosos.gov/pubs/business/businessHome.html"),
    "CT": StateFees("Connecticut", 120, 385, "https://business.ct.gov/"),
    "DE": StateFees("Delaware", 110, 245, "https://corp.delaware.gov/fee/",
                    "Delaware charges a USD 300 annual LLC tax, due 1 June."),
    "DC": StateFees("District of Columbia", 99, 220, "https://dlcp.dc.gov/",
                    "Biennial report USD 300."),
    "FL": StateFees("Florida", 125, 70, "https://dos.fl.gov/sunbiz/",
                    "USD 100 filing plus USD 25 registered-agent designation; annual report USD 138.75.",
                    "USD 35 filing plus USD 35 registered-agent designation."),
    "GA": StateFees("Georgia", 100, 225, "https://sos.ga.gov/corporations-division",
                    "Online fee; USD 110 on paper.", "Online fee; USD 235 on paper."),
    "HI": StateFees("Hawaii", 50, 50, "https://cca.hawaii.gov/breg/"),
    "ID": StateFees("Idaho", 100, 100, "https://sos.idaho.gov/business-services/",
                    "Online fee; paper filings cost more."),
    "IL": StateFees("Illinois", 150, 175, "https://www.ilsos.gov/departments/business_services/",
                    "Annual report USD 75.",
                    "Plus initial franchise tax and license fees computed on Illinois paid-in capital."),
    "IN": StateFees("Indiana", 95, 125, "https://inbiz.in.gov/",
                    "Online fee; USD 100 on paper. Business entity report every two years."),
    "IA": StateFees("Iowa", 50, 100, "https://sos.iowa.gov/business/"),
    "KS": StateFees("Kansas", 160, 115, "https://sos.ks.gov/business/business.html",
                    "Online fee; USD 165 on paper."),
    "KY": StateFees("Kentucky", 40, 90, "https://www.sos.ky.gov/bus/business-filings/"),
    "LA": StateFees("Louisiana", 100, 150, "https://www.sos.la.gov/BusinessServices/"),
    "ME": StateFees("Maine", 175, 250, "https://www.maine.gov/sos/cec/corp/"),
    "MD": StateFees("Maryland", 100, 100, "https://dat.maryland.gov/businesses/",
                    "Annual report with a USD 300 filing fee; expedited online service costs extra.",
                    "Annual report with a USD 300 filing fee."),
    "MA": StateFees("Massachusetts", 500, 400, "https://www.sec.state.ma.us/divisions/corporations/",
                    "Massachusetts also charges a USD 500 annual report fee for LLCs."),
    "MI": StateFees("Michigan", 50, 60, "https://www.michigan.gov/lara/bureau-list/cscl/corps", "",
                    "USD 10 filing plus an organisation fee from USD 50 (first 60,000 authorised shares)."),
    "MN": StateFees("Minnesota", 155, 220, "https://www.sos.state.mn.us/business-liens/",
                    "Online fee; USD 135 by mail.", "Online fee; USD 200 by mail."),
    "MS": StateFees("Mississippi", 50, 500, "https://www.sos.ms.gov/business-services"),
    "MO": StateFees("Missouri", 50, 155, "https://www.sos.mo.gov/business",
                    "Online fee; USD 105 on paper."),
    "MT": StateFees("Montana", 35, 70, "https://sosmt.gov/business/"),
    "NE": StateFees("Nebraska", 100, 145,
                    "https://sos.nebraska.gov/business-services/forms-and-fee-information",
                    "Nebraska also requires publishing a notice of organisation for three weeks.",
                    "Plus USD 5 per page recording fee."),
    "NV": StateFees("Nevada", 425, 725, "https://www.nvsos.gov/sos/businesses",
                    "USD 75 articles plus USD 150 initial list plus USD 200 state business licence; the list "
                    "and licence (USD 350) are renewed every year.",
                    "Qualification from USD 75 plus USD 150 initial list plus USD 500 state business "
                    "licence."),
    "NH": StateFees("New Hampshire", 100, 100, "https://www.sos.nh.gov/corporation-ucc-securities",
                    "Annual report USD 100."),
    "NJ": StateFees("New Jersey", 125, 125, "https://www.njportal.com/DOR/BusinessFormation/",
                    "Annual report USD 75."),
    "NM": StateFees("New Mexico", 50, 200, "https://www.sos.nm.gov/business-services/", "",
                    "Minimum; the fee grows with authorised shares up to USD 1,000."),
    "NY": StateFees("New York", 200, 225, "https://dos.ny.gov/corporations-state-records-and-ucc",
                    "New York also requires every new LLC to publish its formation; that is planned "
                    "as a line of its own."),
    "NC": StateFees("North Carolina", 125, 250, "https://www.sosnc.gov/divisions/business_registration",
                    "Annual report USD 200."),
    "ND": StateFees("North Dakota", 135, 135, "https://www.sos.nd.gov/business/"),
    "OH": StateFees("Ohio", 99, 99, "https://www.ohiosos.gov/businesses/"),
    "OK": StateFees("Oklahoma", 100, 300, "https://www.sos.ok.gov/business/default.aspx", "",
                    "Minimum; 0.1% of capital invested in Oklahoma above USD 300,000."),
    "OR": StateFees("Oregon", 100, 275, "https://sos.oregon.gov/business/Pages/default.aspx",
                    "Annual report USD 100."),
    "PA": StateFees("Pennsylvania", 125, 250, "https://www.dos.pa.gov/BusinessCharities/Business/"),
    "RI": StateFees("Rhode Island", 150, 150, "https://www.sos.ri.gov/divisions/business-services"),
    "SC": StateFees("South Carolina", 110, 135, "https://sos.sc.gov/online-filings"),
    "SD": StateFees("South Dakota", 150, 750, "https://sdsos.gov/business-services/",
                    "Online fee; USD 165 on paper."),
    "TN": StateFees("Tennessee", 300, 600, "https://sos.tn.gov/businesses",
                    "Tennessee charges USD 50 per member, USD 300 minimum and USD 3,000 maximum."),
    "TX": StateFees("Texas", 300, 750, "https://www.sos.state.tx.us/corp/",
                    "Annual franchise tax report to the Comptroller (no tax due under the revenue "
                    "threshold).",
                    "Annual franchise tax report to the Comptroller."),
    "UT": StateFees("Utah", 59, 59, "https://corporations.utah.gov/"),
    "VT": StateFees("Vermont", 155, 155, "https://sos.vermont.gov/corporations/fees/"),
    "VA": StateFees("Virginia", 100, 75, "https://www.scc.virginia.gov/pages/Clerk-s-Office",
                    "Annual registration fee USD 50.",
                    "USD 25 filing plus an entrance fee of USD 50 per 25,000 authorised shares."),
    "WA": StateFees("Washington", 200, 200, "https://www.sos.wa.gov/corporations-charities"),
    "WV": StateFees("West Virginia", 100, 100, "https://sos.wv.gov/business/"),
    "WI": StateFees("Wisconsin", 130, 100, "https://www.wdfi.org/corporations/",
                    "Online fee; USD 170 on paper.",
                    "Minimum; more when capital employed in Wisconsin is large."),
    "WY": StateFees("Wyoming", 100, 150, "https://sos.wyo.gov/Business/",
                    "Annual report from USD 60."),
}  # fmt: skip

# Nonprofit corporation filing fees where the figure is well established; others are estimated.
NONPROFIT: dict[str, int] = {
    "CA": 30, "NY": 75, "TX": 25, "FL": 70, "IL": 50, "WA": 30, "MA": 35, "PA": 125, "GA": 100,
    "NJ": 75, "OH": 99, "MI": 20, "NC": 60, "CO": 50, "DE": 89,
}  # fmt: skip
NONPROFIT_ESTIMATE = 50

# New York's LLC publication (Limited Liability Company Law section 206): a notice in two newspapers
# the county clerk designates, once a week for six weeks, within 120 days of formation, then a
# certificate of publication filed with the Department of State for USD 50. What the newspapers
# charge is an estimate: it varies by county, and New York City's are the dearest.
NY_PUBLICATION_CERTIFICATE = 50
NY_PUBLICATION_NEWSPAPERS = {"New York City": 1000, "elsewhere": 300}

DELAWARE_INCORPORATION = 89  # minimum: USD 50 filing + USD 24 county fee + USD 15 minimum tax
IRS_1023 = 600
IRS_1023_EZ = 275
IRS_USER_FEE_URL = "https://www.irs.gov/charities-non-profits/form-1023-and-1023-ez-amount-of-user-fee"
