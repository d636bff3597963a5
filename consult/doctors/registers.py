"""Where staff look a licence up: the public register of each US state's medical board and of each country.

One row per jurisdiction: the page of the public lookup (search by name or number) that the verification
queue links each licence number to. Boards move their pages from time to time; when a link breaks, change
the row here (``tests/consult/doctors/test_licences_and_directory.py`` checks every US state and every offered
country has a row or a reason in ``NO_REGISTER``, over HTTPS). The NPI has its own national lookup (``npi_url``).

**Not verified online.** These addresses were written without internet access: none was opened to check it.
The country rows were cross-checked only against public code and pages that link to the same addresses, and
countries whose register page we could not corroborate are left out (``NO_REGISTER``) rather than guessed.
Staff should open a row's page once before relying on it (docs/security.md says the same).
"""

from __future__ import annotations

from urllib.parse import quote

__all__ = ["COUNTRY_REGISTERS", "NO_REGISTER", "STATE_REGISTERS", "npi_url", "register_for"]

#: US state or district code -> (board, lookup page).
STATE_REGISTERS: dict[str, tuple[str, str]] = {
    "AL": ("Alabama Board of Medical Examiners", "https://www.albme.gov/resources/licensee-search/"),
    "AK": ("Alaska State Medical Board", "https://www.commerce.alaska.gov/cbp/main/search/professional"),
    "AZ": ("Arizona Medical Board", "https://azbomprod.azmd.gov/glsuiteweb/clients/azbom/public/webverificationsearch.aspx"),
    "AR": ("Arkansas State Medical Board", "https://www.armedicalboard.org/public/verify/default.aspx"),
    "CA": ("Medical Board of California", "https://search.dca.ca.gov/"),
    "CO": ("Colorado Medical Board", "https://apps2.colorado.gov/dora/licensing/lookup/licenselookup.aspx"),
    "CT": ("Connecticut Department of Public Health", "https://www.elicense.ct.gov/lookup/licenselookup.aspx"),
    "DE": ("Delaware Board of Medical Licensure and Discipline", "https://delpros.delaware.gov/OH_VerifyLicense"),
    "DC": ("DC Board of Medicine", "https://doh.force.com/ver/s/"),
    "FL": ("Florida Board of Medicine", "https://mqa-internet.doh.state.fl.us/MQASearchServices/HealthCareProviders"),
    "GA": ("Georgia Composite Medical Board", "https://gcmb.mylicense.com/verification/"),
    "HI": ("Hawaii Medical Board", "https://mypvl.dcca.hawaii.gov/public-license-search/"),
    "ID": ("Idaho Board of Medicine", "https://edopl.idaho.gov/onlineservices/_/#1"),
    "IL": ("Illinois Department of Financial and Professional Regulation", "https://online-dfpr.micropact.com/lookup/licenselookup.aspx"),
    "IN": ("Indiana Medical Licensing Board", "https://mylicense.in.gov/everification/"),
    "IA": ("Iowa Board of Medicine", "https://eservices.iowa.gov/PublicPortal/Iowa/IBM/licenseQuery/LicenseQuery.jsp"),
    "KS": ("Kansas State Board of Healing Arts", "https://www.kansas.gov/ssrv-ksbhada/search.html"),
    "KY": ("Kentucky Board of Medical Licensure", "https://web1.ky.gov/GenSearch/LicenseSearch.aspx?AGY=5"),
    "LA": ("Louisiana State Board of Medical Examiners", "https://online.lasbme.org/#/verifylicense"),
    "ME": ("Maine Board of Licensure in Medicine", "https://www.pfr.maine.gov/ALMSOnline/ALMSQuery/SearchIndividual.aspx"),
    "MD": ("Maryland Board of Physicians", "https://www.mbp.state.md.us/bpqapp/"),
    "MA": ("Massachusetts Board of Registration in Medicine", "https://findmydoctor.mass.gov/"),
    "MI": ("Michigan Board of Medicine", "https://aca-prod.accela.com/MILARA/GeneralProperty/PropertyLookUp.aspx?isLicensee=Y"),
    "MN": ("Minnesota Board of Medical Practice", "https://mn.gov/boards/medical-practice/public/find-a-licensee/"),
    "MS": ("Mississippi State Board of Medical Licensure", "https://gateway.msbml.ms.gov/verification/"),
    "MO": ("Missouri State Board of Registration for the Healing Arts", "https://pr.mo.gov/licensee-search.asp"),
    "MT": ("Montana Board of Medical Examiners", "https://ebizws.mt.gov/PUBLICPORTAL/searchform?mylist=licenses"),
    "NE": ("Nebraska Board of Medicine and Surgery", "https://www.nebraska.gov/LISSearch/search.cgi"),
    "NV": ("Nevada State Board of Medical Examiners", "https://nsbme.us.thentiacloud.net/webs/nsbme/register/"),
    "NH": ("New Hampshire Board of Medicine", "https://forms.nh.gov/licenseverification/"),
    "NJ": ("New Jersey State Board of Medical Examiners", "https://newjersey.mylicense.com/verification/"),
    "NM": ("New Mexico Medical Board", "https://www.nmmb.state.nm.us/licensee-search/"),
    "NY": ("New York State Education Department, Office of the Professions", "https://www.op.nysed.gov/verification-search"),
    "NC": ("North Carolina Medical Board", "https://portal.ncmedboard.org/verification/search.aspx"),
    "ND": ("North Dakota Board of Medicine", "https://www.ndbom.org/public/find_verify/verify.asp"),
    "OH": ("State Medical Board of Ohio", "https://elicense.ohio.gov/oh_verifylicense"),
    "OK": ("Oklahoma State Board of Medical Licensure and Supervision", "https://www.okmedicalboard.org/search"),
    "OR": ("Oregon Medical Board", "https://omb.oregon.gov/search"),
    "PA": ("Pennsylvania State Board of Medicine", "https://www.pals.pa.gov/#/page/search"),
    "RI": ("Rhode Island Board of Medical Licensure and Discipline", "https://health.ri.gov/lists/licensees/"),
    "SC": ("South Carolina Board of Medical Examiners", "https://verify.llronline.com/LicLookup/Med/Med.aspx"),
    "SD": ("South Dakota Board of Medical and Osteopathic Examiners", "https://www.sdbmoe.gov/verify-a-license/"),
    "TN": ("Tennessee Board of Medical Examiners", "https://apps.health.tn.gov/Licensure/"),
    "TX": ("Texas Medical Board", "https://profile.tmb.state.tx.us/"),
    "UT": ("Utah Division of Professional Licensing", "https://secure.utah.gov/llv/search/index.html"),
    "VT": ("Vermont Board of Medical Practice", "https://apps.health.vermont.gov/cavu/Lookup/LicenseLookup.aspx"),
    "VA": ("Virginia Board of Medicine", "https://dhp.virginiainteractive.org/Lookup/Index"),
    "WA": ("Washington Medical Commission", "https://fortress.wa.gov/doh/providercredentialsearch/"),
    "WV": ("West Virginia Board of Medicine", "https://wvbom.wv.gov/public_search/"),
    "WI": ("Wisconsin Medical Examining Board", "https://licensesearch.wi.gov/"),
    "WY": ("Wyoming Board of Medicine", "https://wybom.boardsofmedicine.org/"),
    "AS": ("American Samoa Health Services Regulatory Board", "https://www.americansamoa.gov/"),
    "GU": ("Guam Board of Medical Examiners", "https://gbme.guam.gov/"),
    "MP": ("CNMI Health Care Professions Licensing Board", "https://www.cnmi-hcplb.net/"),
    "PR": ("Puerto Rico Board of Medical Licensure and Discipline", "https://www.salud.pr.gov/"),
    "VI": ("Virgin Islands Board of Medical Examiners", "https://doh.vi.gov/"),
}

#: ISO 3166 country code -> (register, lookup page). The United States has no national licence register:
#: its row is the NPI registry (the licence itself is looked up in STATE_REGISTERS). Only registers we are
#: confident of are listed (see the module docstring); the offered countries without one are in NO_REGISTER.
COUNTRY_REGISTERS: dict[str, tuple[str, str]] = {
    "US": ("NPPES NPI Registry", "https://npiregistry.cms.hhs.gov/search"),
    "MX": ("Registro Nacional de Profesionistas (cédula profesional)", "https://www.cedulaprofesional.sep.gob.mx/"),
    "GB": ("General Medical Council, List of Registered Medical Practitioners", "https://www.gmc-uk.org/registrants"),
    "IE": ("Medical Council of Ireland, register of medical practitioners", "https://www.medicalcouncil.ie/public-information/check-the-register/"),
    "AU": ("Ahpra, Register of practitioners", "https://www.ahpra.gov.au/Registration/Registers-of-Practitioners.aspx"),
    "NZ": ("Medical Council of New Zealand, register of doctors", "https://www.mcnz.org.nz/registration/register-of-doctors/"),
    "FR": ("Annuaire santé (RPPS)", "https://annuaire.sante.fr/"),
    "NL": ("BIG-register", "https://zoeken.bigregister.nl/"),
    "BE": ("INAMI/RIZIV, search for a care provider", "https://webappsa.riziv-inami.fgov.be/silverpages/"),
    "ES": ("Consejo General de Colegios Oficiales de Médicos, registry of members", "https://www.cgcom.es/colegiados"),
    "IT": ("FNOMCeO, register of physicians", "https://portale.fnomceo.it/cerca-prof/"),
    "CH": ("MedReg, register of medical professions", "https://www.healthreg-public.admin.ch/medreg/search"),
    "AT": ("Österreichische Ärztekammer, doctors list", "https://www.aerztekammer.at/arztsuche"),
    "SE": ("Socialstyrelsen, register of licensed health professionals (HOSP)", "https://legitimation.socialstyrelsen.se/"),
    "NO": ("Helsepersonellregisteret (HPR)", "https://register.helsedirektoratet.no/hpr"),
    "FI": ("Valvira, JulkiTerhikki register", "https://julkiterhikki.valvira.fi/"),
    "PL": ("Naczelna Izba Lekarska, central register of physicians", "https://nil.org.pl/rejestry/centralny-rejestr-lekarzy"),
    "IL": ("Ministry of Health, practitioners register", "https://practitioners.health.gov.il/"),
    "IN": ("National Medical Commission, Indian Medical Register", "https://www.nmc.org.in/information-desk/indian-medical-register/"),
    "SG": ("Professional Registration System (Singapore Medical Council)", "https://prs.moh.gov.sg/prs/internet/profSearch/main.action?hpe=SMC"),
    "JP": ("Ministry of Health, Labour and Welfare, physician licence search", "https://licenseif.mhlw.go.jp/search_isei/"),
    "BR": ("Conselho Federal de Medicina, search for physicians", "https://portal.cfm.org.br/busca-medicos/"),
    "AR": ("SISA (REFEPS, the federal register of health professionals)", "https://sisa.msal.gov.ar/sisa/"),
    "ZA": ("Health Professions Council of South Africa, iRegister", "https://isystems.hpcsa.co.za/iregister/"),
}

#: Offered countries (registration.COUNTRIES) with no register link, and why: the queue tells staff to check the
#: number with the issuing authority. A row moves to COUNTRY_REGISTERS once someone has opened its page.
NO_REGISTER: dict[str, str] = {
    "CA": "licences are issued by each province's college; no national lookup, and no provincial page we are sure of",
    "DE": "doctors are registered with their state's medical chamber (Landesärztekammer); no national lookup we are sure of",
    "PT": "the Ordem dos Médicos' public search page is not one we are sure of",
    "DK": "the Danish authorisation register's address changed and the new one is not one we are sure of",
    "KR": "no public licence lookup we know of (the ministry checks licences on request)",
    "AE": "licences are issued by several authorities (MOHAP, DHA, DOH Abu Dhabi); no lookup page we are sure of",
}


def npi_url(number: str) -> str:
    """The NPI Registry's page for one NPI."""
    return f"https://npiregistry.cms.hhs.gov/provider-view/{quote(number, safe='')}"


def register_for(*, license_state: str, registration_country: str) -> tuple[str, str] | None:
    """(register name, lookup page) where staff check a licence: the state board's for a US licence, else the
    country's register; None when the table has neither."""
    if registration_country == "US" or not registration_country:
        return STATE_REGISTERS.get(license_state)
    return COUNTRY_REGISTERS.get(registration_country)
