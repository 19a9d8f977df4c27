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

# The same rows' names in Simplified Chinese, by code.
DOCUMENT_TYPE_NAMES_ZH = {
    "101": "居民身份证",
    "102": "临时居民身份证",
    "103": "户口簿",
    "104": "军官证",
    "105": "武警警官证",
    "106": "士兵证",
    "110": "中华人民共和国护照",
    "111": "外国护照",
    "120": "港澳居民来往内地通行证",
    "121": "台湾居民来往大陆通行证",
    "130": "港澳台居民居住证",
    "140": "外国人永久居留身份证",
    "201": "统一社会信用代码证书",
    "202": "营业执照",
    "203": "组织机构代码证",
    "204": "事业单位法人证书",
    "205": "社会团体登记证书",
    "206": "金融许可证",
    "299": "其他单位证件",
    "999": "其他个人证件",
}

INDUSTRY_NAMES_ZH = {
    "A": "农、林、牧、渔业",
    "B": "采矿业",
    "C": "制造业",
    "C26": "化学原料和化学制品制造业",
    "C39": "计算机、通信和其他电子设备制造业",
    "D": "电力、热力、燃气及水生产和供应业",
    "E": "建筑业",
    "F": "批发和零售业",
    "F51": "批发业",
    "F52": "零售业",
    "G": "交通运输、仓储和邮政业",
    "H": "住宿和餐饮业",
    "I": "信息传输、软件和信息技术服务业",
    "I65": "软件和信息技术服务业",
    "J": "金融业",
    "J66": "货币金融服务",
    "J67": "资本市场服务",
    "J68": "保险业",
    "K": "房地产业",
    "L": "租赁和商务服务业",
    "M": "科学研究和技术服务业",
    "N": "水利、环境和公共设施管理业",
    "O": "居民服务、修理和其他服务业",
    "P": "教育",
    "Q": "卫生和社会工作",
    "R": "文化、体育和娱乐业",
    "S": "公共管理、社会保障和社会组织",
    "T": "国际组织",
}
