"""Demo customers for `manage.py seed_demo`: every type, some VIPs, two employees, one with an
expired resident ID, interbank corporates. Idempotent: keyed on the opening document number
(personal, corporate) or the name (internal), so a second run creates nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from bankcore.codes import iso7064_mod11_2_check_char, usc_code_check_char
from bankcore.models import OrgUnit, User
from customers import services
from customers.models import (
    Customer,
    CustomerDocument,
    CustomerRelationship,
    ExtensionAttribute,
    InternalCustomer,
)


def _resident_id(body17: str) -> str:
    return body17 + iso7064_mod11_2_check_char(body17)


def _uscc(body17: str) -> str:
    return body17 + usc_code_check_char(body17)


# name, branch, resident ID body (region + birth date + sequence), gender, vip, employee,
# expiry date, mobile
PERSONAL = [
    ("李明", "BJ01", "11010519800312041", "1", 3, False, date(2036, 5, 1), "13901010001"),
    ("王芳", "BJ01", "11010519850707122", "2", 2, False, date(2033, 9, 1), "13901010002"),
    ("张伟", "BJ01", "11010519900115083", "1", 0, True, date(2031, 1, 15), "13901010003"),
    ("刘洋", "BJ02", "11010819751120055", "1", 1, False, date(2030, 11, 20), "13901010004"),
    ("陈静", "BJ02", "11010819920228066", "2", 0, True, date(2034, 2, 28), "13901010005"),
    # The resident ID expired: the trigger model asks for authorization for her.
    ("赵敏", "BJ02", "11010819680430028", "2", 1, False, date(2024, 3, 1), "13901010006"),
    ("孙浩", "SH01", "31011519880808019", "1", 0, False, None, "13901010007"),
    ("周丽", "SH01", "31011519950601048", "2", 2, False, date(2035, 6, 1), "13901010008"),
    ("吴强", "SH01", "31011519700909031", "1", 0, False, date(2029, 9, 9), "13901010009"),
]
# A foreign customer with a foreign passport (no checksum standard).
FOREIGN = ("John Smith", "SH01", "111", "P12345678", date(2030, 12, 31), "GBR")

# name, branch, USCC body, industry, economic type, region, interbank, legal representative
CORPORATE = [
    (
        "北京朝阳科技有限公司",
        "BJ01",
        "91110105MA01ABCD1",
        "I65",
        "150",
        "110105",
        False,
        "李明",
    ),
    (
        "北京海淀精密制造有限公司",
        "BJ02",
        "91110108MA02EFGH2",
        "C39",
        "160",
        "110108",
        False,
        "刘洋",
    ),
    (
        "上海浦东商贸有限公司",
        "SH01",
        "91310115MA03JKLM3",
        "F51",
        "170",
        "310115",
        False,
        "孙浩",
    ),
    (
        "华夏农村商业银行股份有限公司",
        "BJ01",
        "91110000MA04NPQR4",
        "J66",
        "160",
        "110000",
        True,
        None,
    ),
    (
        "上海浦东证券股份有限公司",
        "SH01",
        "91310000MA05TUWX5",
        "J67",
        "160",
        "310000",
        True,
        None,
    ),
]

INTERNAL = [
    ("北京分行待处理挂账", "BJ", "Suspense and pending items"),
    ("总行手续费收入", "HO", "Commission and fee income"),
]

EXTENSION_ATTRIBUTES = [
    # scope, code, label, data type, min, max, choices
    ("personal", "annual_income", "Annual income (CNY)", "decimal", "0", "", []),
    ("personal", "aml_risk_rating", "AML risk rating", "choice", "", "", ["low", "medium", "high"]),
    ("corporate", "registered_capital", "Registered capital (CNY)", "decimal", "0", "", []),
    ("corporate", "listed", "Listed company", "boolean", "", "", []),
    ("contact_channels", "preferred_contact_time", "Preferred contact time", "text", "", "40", []),
]
EXTENSION_LABELS_ZH = {
    "annual_income": "年收入（元）",
    "aml_risk_rating": "反洗钱风险等级",
    "registered_capital": "注册资本（元）",
    "listed": "上市公司",
    "preferred_contact_time": "首选联系时间",
}


def seed(*, stdout) -> None:
    services.reference_data_ensure()
    units = {unit.code: unit for unit in OrgUnit.objects.all()}
    teller = User.objects.filter(username="teller1").first()
    for scope, code, label, data_type, min_value, max_value, choices in EXTENSION_ATTRIBUTES:
        if not ExtensionAttribute.objects.filter(code=code).exists():
            services.extension_attribute_create(
                scope=scope,
                code=code,
                label=label,
                label_zh_hans=EXTENSION_LABELS_ZH[code],
                data_type=data_type,
                min_value=min_value,
                max_value=max_value,
                choices=choices,
            )

    people: dict[str, Customer] = {}
    for name, branch, body, gender, vip, employee, expiry, mobile in PERSONAL:
        number = _resident_id(body)
        customer = _existing(number)
        if customer is None:
            customer = services.personal_customer_create(
                name=name,
                home_branch=units[branch],
                opening_document=services.DocumentInput(
                    document_type_code="101",
                    number=number,
                    issue_date=date(expiry.year - 20, expiry.month, 1)
                    if expiry
                    else date(2010, 1, 1),
                    expiry_date=expiry,
                    issuing_authority="Public Security Bureau",
                ),
                gender=gender,
                vip_level=vip,
                is_employee=employee,
                contact_channels=[
                    services.ContactInput(kind="mobile", value=mobile, is_primary=True)
                ],
                created_by=teller,
                extensions={
                    "annual_income": str(Decimal(120000 + 80000 * vip)),
                    "aml_risk_rating": "low",
                },
            )
        people[name] = customer

    name, branch, type_code, passport, expiry, nationality = FOREIGN
    if _existing(passport) is None:
        services.personal_customer_create(
            name=name,
            home_branch=units[branch],
            opening_document=services.DocumentInput(
                document_type_code=type_code, number=passport, expiry_date=expiry
            ),
            nationality=nationality,
            is_domestic=False,
            created_by=teller,
        )

    for name, branch, body, industry, economic, region, interbank, representative in CORPORATE:
        number = _uscc(body)
        customer = _existing(number)
        if customer is None:
            customer = services.corporate_customer_create(
                name=name,
                home_branch=units[branch],
                opening_document=services.DocumentInput(document_type_code="201", number=number),
                industry_code=industry,
                economic_type=economic,
                registration_region_code=region,
                is_interbank=interbank,
                addresses=[
                    services.AddressInput(
                        kind="registered", line=f"{name}, {region}", region_code=region
                    )
                ],
                created_by=teller,
            )
        if (
            representative
            and not CustomerRelationship.objects.filter(
                customer=customer, kind="legal_representative"
            ).exists()
        ):
            services.relationship_add(
                customer=customer,
                related_customer=people[representative],
                kind="legal_representative",
                added_by=teller,
            )

    for name, branch, purpose in INTERNAL:
        if not InternalCustomer.objects.filter(name=name).exists():
            services.internal_customer_create(
                name=name, home_branch=units[branch], purpose=purpose, created_by=None
            )

    counts = {
        t: Customer.objects.filter(customer_type=t).count()
        for t in ("personal", "corporate", "internal")
    }
    stdout.write(
        f"Customers: {counts['personal']} personal (1xxxxxxxxxxC), {counts['corporate']} corporate "
        f"(2xxxxxxxxxxC), {counts['internal']} internal (9xxxxxxxxxxC); "
        "Zhao Min's resident ID expired 2024-03-01."
    )


def _existing(document_number: str) -> Customer | None:
    document = (
        CustomerDocument.objects.filter(number=document_number).select_related("customer").first()
    )
    return document.customer if document else None
