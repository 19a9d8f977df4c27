"""The demo rule set's content in English, as rule_set_content_load takes it (the Chinese
is in demo_zh.py): channels, reasons, transactions, images, scenes, trigger and processing
rules of a realistic branch network."""

from __future__ import annotations

CNY = "CNY"
CUSTOMER_ELEMENTS = [
    ("customer_no", "Customer number", "customer_no", False),
    ("terminal", "Terminal", "string", False),
]


def _cash(code_name: str):
    return [
        ("amount", "Amount", "money", True),
        ("account_no", "Account number", "account_no", False),
        *CUSTOMER_ELEMENTS,
    ]


DEMO_RULE_SET: dict = {
    "trigger_systems": [
        ("counter", "Counter (柜面)"),
        ("self_service", "Self-service (自助)"),
        ("mobile", "Mobile (移动)"),
        ("lobby_pad", "Lobby Pad (厅堂Pad)"),
        ("core", "Core banking system"),
    ],
    "reasons": [
        ("LARGE_CASH", "Large cash withdrawal (≥ 50,000 CNY)"),
        ("VERY_LARGE_CASH", "Very large cash withdrawal (≥ 200,000 CNY)"),
        ("EMPLOYEE_CUSTOMER", "Customer is a bank employee"),
        ("VIP_CUSTOMER", "VIP customer, sizeable withdrawal"),
        ("EXPIRED_ID", "Customer's ID document has expired"),
        ("REVERSAL", "Reversal of a transaction"),
        ("CORPORATE_OPENING", "Account opening for a corporate customer"),
        ("EARLY_WITHDRAWAL_EXCEEDED", "Early withdrawals beyond the product's allowed count"),
        ("NEGOTIATED_PARAMETERS", "Account opening with negotiated product parameters"),
    ],
    "transactions": [
        {
            "code": "CASH_WITHDRAWAL",
            "name": "Cash withdrawal",
            "business_type": "deposit",
            "elements": _cash(""),
        },
        {
            "code": "CASH_DEPOSIT",
            "name": "Cash deposit",
            "business_type": "deposit",
            "elements": _cash(""),
        },
        {
            "code": "TRANSFER",
            "name": "Transfer",
            "business_type": "payment",
            "elements": [
                *_cash(""),
                ("counterparty_account", "Counterparty account", "string", True),
            ],
        },
        {
            "code": "ACCOUNT_OPENING",
            "name": "Account opening",
            "business_type": "account",
            "elements": [
                ("customer_no", "Customer number", "customer_no", True),
                ("product_code", "Product", "product_code", True),
                ("amount", "Opening amount", "money", False),
                ("parameters", "Opening parameters", "parameters", False),
                ("terminal", "Terminal", "string", False),
            ],
        },
        {
            "code": "EARLY_WITHDRAWAL",
            "name": "Early withdrawal of a time deposit",
            "business_type": "deposit",
            "elements": [
                ("account_no", "Account number", "account_no", True),
                ("amount", "Amount", "money", False),
                *CUSTOMER_ELEMENTS,
            ],
        },
        {
            "code": "REVERSAL",
            "name": "Reversal",
            "business_type": "general",
            "elements": [
                ("original_reference", "Original transaction", "string", True),
                ("amount", "Amount", "money", False),
                *CUSTOMER_ELEMENTS,
            ],
        },
        {
            "code": "CUSTOMER_INFO_CHANGE",
            "name": "Customer information change",
            "business_type": "customer",
            "elements": [
                ("customer_no", "Customer number", "customer_no", True),
                ("terminal", "Terminal", "string", False),
            ],
        },
        {
            "code": "LOSS_REPORT",
            "name": "Loss report",
            "business_type": "customer",
            "elements": [
                ("account_no", "Account number", "account_no", False),
                ("customer_no", "Customer number", "customer_no", True),
                ("terminal", "Terminal", "string", False),
            ],
        },
    ],
    "image_types": [
        ("ID_CARD_FRONT", "ID card, front", "customer_id"),
        ("ID_CARD_BACK", "ID card, back", "customer_id"),
        ("BUSINESS_LICENCE", "Business licence", "customer_id"),
        ("LEGAL_REP_ID_FRONT", "Legal representative's ID card, front", "customer_id"),
        ("LEGAL_REP_ID_BACK", "Legal representative's ID card, back", "customer_id"),
        ("CASH_PHOTO", "Cash on the counter", "cash_voucher_media"),
        ("DEPOSIT_CERTIFICATE", "Certificate of deposit", "cash_voucher_media"),
        ("WITHDRAWAL_SLIP", "Withdrawal slip", "application_voucher"),
        ("DEPOSIT_SLIP", "Deposit slip", "application_voucher"),
        ("TRANSFER_VOUCHER", "Transfer voucher", "application_voucher"),
        ("OPENING_APPLICATION", "Account opening application", "application_voucher"),
        ("REVERSAL_APPLICATION", "Reversal application", "application_voucher"),
        ("CHANGE_APPLICATION", "Information change application", "application_voucher"),
        ("LOSS_REPORT_FORM", "Loss report form", "application_voucher"),
        ("ONSITE_PHOTO", "On-site photo of the customer", "scene_image"),
        ("ORIGINAL_VOUCHER", "Original transaction voucher", "completion_voucher"),
        ("POWER_OF_ATTORNEY", "Power of attorney", "other_material"),
    ],
    "image_combinations": [
        ("ID_CARD_PAIR", "ID card pair", ["ID_CARD_FRONT", "ID_CARD_BACK"]),
        (
            "LEGAL_REP_ID_PAIR",
            "Legal representative's ID pair",
            ["LEGAL_REP_ID_FRONT", "LEGAL_REP_ID_BACK"],
        ),
    ],
    "scenes": [
        {
            "code": "CASH_WITHDRAWAL",
            "name": "Cash withdrawal",
            "classification": "cash",
            "business_type": "deposit",
            "transaction": "CASH_WITHDRAWAL",
            "images": [
                ("ID_CARD_PAIR", "required", 1),
                ("WITHDRAWAL_SLIP", "required", 1),
                ("ONSITE_PHOTO", "optional", 1),
                ("POWER_OF_ATTORNEY", "optional", 1),
            ],
            "review": [
                (
                    "IDENTITY",
                    "Identity",
                    [
                        (
                            "ID_MATCHES",
                            "The ID card matches the customer and the account holder",
                            "mandatory",
                        ),
                        ("ID_VALID", "The ID card is within its validity period", "mandatory"),
                    ],
                ),
                (
                    "VOUCHER",
                    "Voucher",
                    [
                        (
                            "SLIP_AMOUNT",
                            "The slip's amount in words and figures equals the entered amount",
                            "mandatory",
                        ),
                        ("SLIP_SIGNED", "The slip is signed by the customer", "mandatory"),
                        ("PURPOSE", "The purpose of a large withdrawal is plausible", "advisory"),
                    ],
                ),
            ],
        },
        {
            "code": "CASH_DEPOSIT",
            "name": "Cash deposit",
            "classification": "cash",
            "business_type": "deposit",
            "transaction": "CASH_DEPOSIT",
            "images": [("DEPOSIT_SLIP", "required", 1), ("CASH_PHOTO", "optional", 1)],
            "review": [
                (
                    "VOUCHER",
                    "Voucher",
                    [("SLIP_AMOUNT", "The slip's amount equals the entered amount", "mandatory")],
                )
            ],
        },
        {
            "code": "TRANSFER",
            "name": "Transfer",
            "classification": "payment",
            "business_type": "payment",
            "transaction": "TRANSFER",
            "images": [("ID_CARD_PAIR", "required", 1), ("TRANSFER_VOUCHER", "required", 1)],
            "review": [
                (
                    "VOUCHER",
                    "Voucher",
                    [
                        (
                            "COUNTERPARTY",
                            "The counterparty on the voucher equals the entered one",
                            "mandatory",
                        ),
                        (
                            "FRAUD_SIGNS",
                            "No signs of telecom fraud (customer on the phone, hurried)",
                            "advisory",
                        ),
                    ],
                )
            ],
        },
        {
            "code": "PERSONAL_OPENING",
            "name": "Personal account opening",
            "classification": "account",
            "business_type": "account",
            "transaction": "ACCOUNT_OPENING",
            "images": [
                ("ID_CARD_PAIR", "required", 1),
                ("OPENING_APPLICATION", "required", 1),
                ("ONSITE_PHOTO", "required", 1),
            ],
            "review": [
                (
                    "IDENTITY",
                    "Identity",
                    [
                        (
                            "ID_MATCHES",
                            "The ID card matches the customer in the photo",
                            "mandatory",
                        ),
                        (
                            "PARAMETERS",
                            "Negotiated parameters are approved by the product owner",
                            "mandatory",
                        ),
                    ],
                )
            ],
        },
        {
            "code": "CORPORATE_OPENING",
            "name": "Corporate account opening",
            "classification": "account",
            "business_type": "account",
            "transaction": None,
            "images": [
                ("BUSINESS_LICENCE", "required", 1),
                ("LEGAL_REP_ID_PAIR", "required", 1),
                ("OPENING_APPLICATION", "required", 1),
                ("POWER_OF_ATTORNEY", "optional", 1),
            ],
            "review": [
                (
                    "COMPANY",
                    "Company",
                    [
                        (
                            "LICENCE_VALID",
                            "The business licence is valid and its USCC matches",
                            "mandatory",
                        ),
                        (
                            "LEGAL_REP",
                            "The legal representative's ID matches the licence",
                            "mandatory",
                        ),
                        ("BENEFICIAL_OWNER", "The beneficial owner is identified", "advisory"),
                    ],
                )
            ],
        },
        {
            "code": "EXPIRED_ID",
            "name": "Expired ID document",
            "classification": "identity",
            "business_type": "customer",
            "transaction": None,
            "images": [("ID_CARD_PAIR", "required", 1), ("ONSITE_PHOTO", "required", 1)],
            "review": [
                (
                    "IDENTITY",
                    "Identity",
                    [
                        (
                            "NEW_DOCUMENT",
                            "The customer presents a valid new document, or the case allows the expired one",
                            "mandatory",
                        ),
                        (
                            "UPDATE_RECORD",
                            "The customer's document record is to be updated",
                            "advisory",
                        ),
                    ],
                )
            ],
        },
        {
            "code": "EARLY_WITHDRAWAL",
            "name": "Early withdrawal",
            "classification": "deposit",
            "business_type": "deposit",
            "transaction": "EARLY_WITHDRAWAL",
            "images": [("ID_CARD_PAIR", "required", 1), ("DEPOSIT_CERTIFICATE", "required", 1)],
            "review": [
                (
                    "VOUCHER",
                    "Voucher",
                    [
                        (
                            "CERTIFICATE",
                            "The certificate is genuine and matches the account",
                            "mandatory",
                        )
                    ],
                )
            ],
        },
        {
            "code": "REVERSAL",
            "name": "Reversal",
            "classification": "general",
            "business_type": "general",
            "transaction": "REVERSAL",
            "images": [
                ("REVERSAL_APPLICATION", "required", 1),
                ("ORIGINAL_VOUCHER", "required", 1),
            ],
            "review": [
                (
                    "REASON",
                    "Reason",
                    [
                        (
                            "REASON_STATED",
                            "The reason for the reversal is stated and plausible",
                            "mandatory",
                        )
                    ],
                )
            ],
        },
        {
            "code": "INFO_CHANGE",
            "name": "Customer information change",
            "classification": "customer",
            "business_type": "customer",
            "transaction": "CUSTOMER_INFO_CHANGE",
            "images": [("ID_CARD_PAIR", "required", 1), ("CHANGE_APPLICATION", "required", 1)],
            "review": [
                (
                    "IDENTITY",
                    "Identity",
                    [("ID_MATCHES", "The ID card matches the customer", "mandatory")],
                )
            ],
        },
        {
            "code": "LOSS_REPORT",
            "name": "Loss report",
            "classification": "customer",
            "business_type": "customer",
            "transaction": "LOSS_REPORT",
            "images": [("ID_CARD_PAIR", "required", 1), ("LOSS_REPORT_FORM", "required", 1)],
            "review": [
                (
                    "IDENTITY",
                    "Identity",
                    [("ID_MATCHES", "The ID card matches the account holder", "mandatory")],
                )
            ],
        },
    ],
    "rules": [
        {
            "code": "CASH_50K",
            "name": "Cash withdrawal from 50,000 CNY",
            "reason": "LARGE_CASH",
            "transaction": "CASH_WITHDRAWAL",
            "condition": {"field": "elements.amount", "op": "gte", "value": "50000.00 CNY"},
        },
        {
            "code": "CASH_200K",
            "name": "Cash withdrawal from 200,000 CNY",
            "reason": "VERY_LARGE_CASH",
            "transaction": "CASH_WITHDRAWAL",
            "condition": {"field": "elements.amount", "op": "gte", "value": "200000.00 CNY"},
        },
        {
            "code": "VIP_20K",
            "name": "VIP (level 3+) withdrawal from 20,000 CNY",
            "reason": "VIP_CUSTOMER",
            "transaction": "CASH_WITHDRAWAL",
            "condition": {
                "all": [
                    {"field": "customer.vip_level", "op": "gte", "value": 3},
                    {"field": "elements.amount", "op": "gte", "value": "20000.00 CNY"},
                ]
            },
        },
        {
            "code": "EMPLOYEE",
            "name": "Any transaction for an employee",
            "reason": "EMPLOYEE_CUSTOMER",
            "transaction": None,
            "condition": {"field": "customer.is_employee", "op": "eq", "value": True},
        },
        {
            "code": "EXPIRED_ID",
            "name": "Customer's ID document expired",
            "reason": "EXPIRED_ID",
            "transaction": None,
            "condition": {"field": "customer.has_expired_document", "op": "eq", "value": True},
        },
        {
            "code": "REVERSAL",
            "name": "Every reversal",
            "reason": "REVERSAL",
            "transaction": "REVERSAL",
            "condition": {"all": []},
        },
        {
            "code": "CORPORATE_OPENING",
            "name": "Corporate account opening",
            "reason": "CORPORATE_OPENING",
            "transaction": "ACCOUNT_OPENING",
            "condition": {"field": "customer.customer_type", "op": "eq", "value": "corporate"},
        },
        {
            "code": "EARLY_EXHAUSTED",
            "name": "Early withdrawal beyond the allowed count",
            "reason": "EARLY_WITHDRAWAL_EXCEEDED",
            "transaction": "EARLY_WITHDRAWAL",
            "condition": {
                "field": "account.early_withdrawals_exhausted",
                "op": "eq",
                "value": True,
            },
        },
        {
            "code": "NEGOTIATED",
            "name": "Opening with negotiated parameters",
            "reason": "NEGOTIATED_PARAMETERS",
            "transaction": "ACCOUNT_OPENING",
            "condition": {"field": "product.has_negotiated_parameters", "op": "eq", "value": True},
        },
    ],
    "processing": [
        {
            "code": "P_LARGE_CASH",
            "reason": "LARGE_CASH",
            "mode": "remote_centralized",
            "level": 1,
            "time_limit": 15,
            "escalation_level": 2,
        },
        {
            "code": "P_VERY_LARGE_CASH",
            "reason": "VERY_LARGE_CASH",
            "mode": "remote_centralized",
            "level": 2,
            "authorizers": 2,
            "time_limit": 20,
            "escalation_level": 3,
        },
        {
            "code": "P_EMPLOYEE",
            "reason": "EMPLOYEE_CUSTOMER",
            "mode": "remote_centralized",
            "level": 1,
            "time_limit": 30,
        },
        {
            "code": "P_VIP",
            "reason": "VIP_CUSTOMER",
            "mode": "remote_centralized",
            "level": 1,
            "time_limit": 10,
        },
        {
            "code": "P_EXPIRED_ID",
            "reason": "EXPIRED_ID",
            "mode": "on_site",
            "level": 1,
            "role": "branch_supervisor",
            "scene": "EXPIRED_ID",
        },
        {
            "code": "P_REVERSAL",
            "reason": "REVERSAL",
            "mode": "on_site",
            "level": 1,
            "role": "branch_supervisor",
        },
        {
            "code": "P_CORPORATE_OPENING",
            "reason": "CORPORATE_OPENING",
            "mode": "remote_centralized",
            "level": 2,
            "time_limit": 30,
            "scene": "CORPORATE_OPENING",
        },
        {
            "code": "P_EARLY_EXCEEDED",
            "reason": "EARLY_WITHDRAWAL_EXCEEDED",
            "outcome": "refuse",
            "mode": "on_site",
            "level": 1,
            "role": "branch_supervisor",
        },
        {
            "code": "P_NEGOTIATED",
            "reason": "NEGOTIATED_PARAMETERS",
            "mode": "remote_centralized",
            "level": 2,
            "time_limit": 30,
        },
    ],
}
