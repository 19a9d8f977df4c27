"""Reference (parameter) data the customers app ships with.

Used by the data migration that seeds the parameter tables and by `reference_data_ensure()`
(services), so tests that flush the database (transactional tests) and seed_demo can put the
same rows back. Plain tuples: no model imports here.
"""

# Document types following the national data standards (GB/T 2261-style codes used by
# Chinese banks' ECIF systems). code, name, holder kind (personal / corporate / any),
# checksum validator (resident_id = GB 11643, uscc = GB 32100, "" = none defined).
DOCUMENT_TYPES = [
    ("101", "Resident identity card", "personal", "resident_id"),
    ("102", "Temporary resident identity card", "personal", "resident_id"),
    ("103", "Household register (hukou) booklet", "personal", "resident_id"),
    ("104", "Military officer identity card", "personal", ""),
    ("105", "Armed police officer identity card", "personal", ""),
    ("106", "Soldier identity card", "personal", ""),
    ("110", "Passport (PRC)", "personal", ""),
    ("111", "Foreign passport", "personal", ""),
    ("120", "Mainland travel permit for Hong Kong and Macau residents", "personal", ""),
    ("121", "Mainland travel permit for Taiwan residents", "personal", ""),
    (
        "130",
        "Residence permit for Hong Kong, Macau and Taiwan residents",
        "personal",
        "resident_id",
    ),
    ("140", "Foreign permanent resident identity card", "personal", ""),
    ("201", "Unified social credit code certificate", "corporate", "uscc"),
    ("202", "Business licence", "corporate", ""),
    ("203", "Organisation code certificate", "corporate", ""),
    ("204", "Public institution legal person certificate", "corporate", ""),
    ("205", "Social organisation registration certificate", "corporate", ""),
    ("206", "Financial licence", "corporate", ""),
    ("299", "Other organisation document", "corporate", ""),
    ("999", "Other personal document", "personal", ""),
]

RESIDENT_ID_CARD = "101"
USCC_CERTIFICATE = "201"
PASSPORT = "110"
FOREIGN_PASSPORT = "111"

# GB/T 4754-2017 industrial classification: the 20 sections plus a few divisions banks use.
INDUSTRIES = [
    ("A", "Agriculture, forestry, animal husbandry and fishery"),
    ("B", "Mining"),
    ("C", "Manufacturing"),
    ("C26", "Manufacture of raw chemical materials and chemical products"),
    ("C39", "Manufacture of computers, communication and other electronic equipment"),
    ("D", "Production and supply of electricity, heat, gas and water"),
    ("E", "Construction"),
    ("F", "Wholesale and retail trade"),
    ("F51", "Wholesale trade"),
    ("F52", "Retail trade"),
    ("G", "Transport, storage and postal services"),
    ("H", "Accommodation and catering"),
    ("I", "Information transmission, software and information technology services"),
    ("I65", "Software and information technology services"),
    ("J", "Finance"),
    ("J66", "Monetary financial services"),
    ("J67", "Capital market services"),
    ("J68", "Insurance"),
    ("K", "Real estate"),
    ("L", "Leasing and business services"),
    ("M", "Scientific research and technical services"),
    ("N", "Water conservancy, environment and public facilities management"),
    ("O", "Resident services, repair and other services"),
    ("P", "Education"),
    ("Q", "Health and social work"),
    ("R", "Culture, sports and entertainment"),
    ("S", "Public administration, social security and social organisations"),
    ("T", "International organisations"),
]
