"""The reference catalogue the factory ships with: the four product lines, the parameters the
source names for them (plus the obvious ones for loans and internal accounts), and one
template per line. Installed by a data migration; administrators extend it with rows.

`catalogue_install(apps)` is idempotent and works with the migration's historical models as
well as the live ones (pass `django.apps.apps`).
"""

from __future__ import annotations

D, T, L, INT = "demand_deposit", "time_deposit", "loan", "internal_account"
DEPOSITS = (D, T)
ALL = ()  # offered to every line

LINES = [
    # code, name, line_code, business nature, order
    (D, "Demand deposit", "10", "liability", 1),
    (T, "Time deposit", "20", "liability", 2),
    (L, "Loan", "30", "asset", 3),
    (INT, "Internal account", "90", "intermediary", 4),
]


def _choices(*pairs: tuple[str, str]) -> list[dict]:
    return [{"code": code, "label": label} for code, label in pairs]


CURRENCIES = _choices(
    ("CNY", "CNY"), ("USD", "USD"), ("EUR", "EUR"), ("HKD", "HKD"), ("JPY", "JPY"), ("GBP", "GBP")
)

# code, label, zone, data type, principle level, choices, min, max, lines, help text
PARAMETERS = [
    # basic zone
    (
        "balance_direction",
        "Balance direction (余额反映方向)",
        "basic",
        "choice",
        "system",
        _choices(("credit", "Credit"), ("debit", "Debit"), ("both", "Both")),
        "",
        "",
        ALL,
        "Which side of the ledger the balance sits on.",
    ),
    (
        "internal_purpose",
        "Internal account purpose",
        "basic",
        "choice",
        "product",
        _choices(
            ("clearing", "Clearing"),
            ("suspense", "Suspense"),
            ("fee_income", "Fee income"),
            ("cash", "Cash"),
        ),
        "",
        "",
        (INT,),
        "",
    ),
    # feature zone
    (
        "interest_bearing",
        "Interest-bearing (是否计息)",
        "feature",
        "boolean",
        "product",
        [],
        "",
        "",
        (D, T, INT),
        "",
    ),
    (
        "universal_withdrawal_mode",
        "Universal withdrawal mode (通兑方式)",
        "feature",
        "choice",
        "product",
        _choices(
            ("none", "Opening branch only"), ("city", "City-wide"), ("nationwide", "Nationwide")
        ),
        "",
        "",
        (D,),
        "Where the account may be drawn on.",
    ),
    ("term", "Term (存期/期限)", "feature", "term", "default", [], "1D", "30Y", (T, L), ""),
    (
        "renewal_count",
        "Renewals (续存期数)",
        "feature",
        "integer",
        "default",
        [],
        "0",
        "99",
        (T,),
        "",
    ),
    ("auto_renewal", "Automatic renewal", "feature", "boolean", "default", [], "", "", (T,), ""),
    (
        "interest_rate",
        "Annual interest rate (%)",
        "feature",
        "decimal",
        "product",
        [],
        "0",
        "36",
        (D, T, L),
        "",
    ),
    (
        "repayment_method",
        "Repayment method",
        "feature",
        "choice",
        "default",
        _choices(
            ("equal_installment", "Equal instalments"),
            ("equal_principal", "Equal principal"),
            ("bullet", "Principal at maturity"),
            ("interest_first", "Interest first"),
        ),
        "",
        "",
        (L,),
        "",
    ),
    (
        "grace_period_days",
        "Grace period (days)",
        "feature",
        "integer",
        "default",
        [],
        "0",
        "90",
        (L,),
        "",
    ),
    # control zone (usage controls)
    (
        "allowed_customer_types",
        "Customer types allowed",
        "control",
        "choice_list",
        "product",
        _choices(("personal", "Personal"), ("corporate", "Corporate"), ("internal", "Internal")),
        "",
        "",
        ALL,
        "Empty = any customer type.",
    ),
    (
        "interbank_only",
        "Interbank (同业) customers only",
        "control",
        "boolean",
        "product",
        [],
        "",
        "",
        ALL,
        "",
    ),
    (
        "allowed_currencies",
        "Currencies allowed",
        "control",
        "choice_list",
        "product",
        CURRENCIES,
        "",
        "",
        ALL,
        "",
    ),
    (
        "allowed_channels",
        "Channels allowed",
        "control",
        "choice_list",
        "product",
        _choices(
            ("counter", "Counter"),
            ("self_service", "Self-service"),
            ("mobile", "Mobile"),
            ("lobby_pad", "Lobby Pad"),
            ("core", "Core system"),
        ),
        "",
        "",
        ALL,
        "",
    ),
    (
        "allowed_media",
        "Media allowed",
        "control",
        "choice_list",
        "product",
        _choices(
            ("passbook", "Passbook"),
            ("card", "Debit card"),
            ("certificate", "Certificate of deposit"),
            ("none", "No medium"),
        ),
        "",
        "",
        ALL,
        "",
    ),
    (
        "allowed_transactions",
        "Transactions allowed",
        "control",
        "choice_list",
        "product",
        _choices(
            ("deposit", "Deposit"),
            ("withdrawal", "Withdrawal"),
            ("early_withdrawal", "Early withdrawal"),
            ("transfer", "Transfer"),
            ("renewal", "Renewal"),
            ("drawdown", "Drawdown"),
            ("repayment", "Repayment"),
            ("closure", "Closure"),
        ),
        "",
        "",
        ALL,
        "",
    ),
    (
        "min_opening_amount",
        "Minimum opening amount (起存金额)",
        "control",
        "money",
        "product",
        [],
        "",
        "",
        ALL,
        "",
    ),
    (
        "max_opening_amount",
        "Maximum opening amount",
        "control",
        "money",
        "product",
        [],
        "",
        "",
        (L,),
        "",
    ),
    (
        "min_retained_balance",
        "Minimum retained balance (最低留存金额)",
        "control",
        "money",
        "product",
        [],
        "",
        "",
        DEPOSITS,
        "",
    ),
    (
        "early_withdrawals_allowed",
        "Early withdrawals allowed (可提前支取次数)",
        "control",
        "integer",
        "default",
        [],
        "0",
        "99",
        (T,),
        "",
    ),
    (
        "collateral_required",
        "Collateral required",
        "control",
        "boolean",
        "product",
        [],
        "",
        "",
        (L,),
        "",
    ),
    (
        "overdraft_allowed",
        "Overdraft allowed",
        "control",
        "boolean",
        "product",
        [],
        "",
        "",
        (INT,),
        "",
    ),
    # accounting zone
    (
        "accounting_subject",
        "Accounting subject (会计科目)",
        "accounting",
        "text",
        "system",
        [],
        "",
        "",
        ALL,
        "General-ledger subject the accounts post to.",
    ),
    (
        "interest_accrual_basis",
        "Interest accrual basis",
        "accounting",
        "choice",
        "system",
        _choices(("act_360", "Actual/360"), ("act_365", "Actual/365")),
        "",
        "",
        (D, T, L),
        "",
    ),
]

_SYSTEM_LOCKED = ("balance_direction", "accounting_subject", "interest_accrual_basis")

# code, name, line, customer group, business nature, description, {parameter: setting}, locked
TEMPLATES = [
    (
        "demand_deposit",
        "Demand deposit",
        D,
        "personal",
        "liability",
        "Savings / settlement account drawn on demand.",
        {
            "balance_direction": {"value": "credit"},
            "universal_withdrawal_mode": {"value": "nationwide"},
            "interest_bearing": {"value": "true"},
            "interest_rate": {"value": "0.2"},
            "allowed_customer_types": {"value": "personal"},
            "interbank_only": {"value": "false"},
            "allowed_currencies": {"value": "CNY"},
            "allowed_channels": {"value": "counter,self_service,mobile,lobby_pad"},
            "allowed_media": {"value": "passbook,card"},
            "allowed_transactions": {"value": "deposit,withdrawal,transfer,closure"},
            "min_opening_amount": {"value": "0.00 CNY"},
            "min_retained_balance": {"value": "0.00 CNY"},
            "accounting_subject": {"value": "2011"},
            "interest_accrual_basis": {"value": "act_360"},
        },
        _SYSTEM_LOCKED,
    ),
    (
        "time_deposit",
        "Time deposit",
        T,
        "personal",
        "liability",
        "Fixed-term deposit; term, early withdrawals and renewals set per product.",
        {
            "balance_direction": {"value": "credit"},
            "interest_bearing": {"value": "true"},
            "interest_rate": {"value": "1.45"},
            "term": {
                "value": "1Y",
                "principle_level": "default",
                "free_min": "3M",
                "free_max": "5Y",
            },
            "renewal_count": {
                "value": "0",
                "principle_level": "default",
                "free_min": "0",
                "free_max": "1",
            },
            "auto_renewal": {"value": "true", "principle_level": "default"},
            "allowed_customer_types": {"value": "personal"},
            "interbank_only": {"value": "false"},
            "allowed_currencies": {"value": "CNY"},
            "allowed_channels": {"value": "counter,mobile"},
            "allowed_media": {"value": "passbook,certificate"},
            "allowed_transactions": {"value": "deposit,early_withdrawal,renewal,closure"},
            "min_opening_amount": {"value": "50.00 CNY"},
            "min_retained_balance": {"value": "0.00 CNY"},
            "early_withdrawals_allowed": {
                "value": "1",
                "principle_level": "default",
                "free_min": "0",
                "free_max": "1",
            },
            "accounting_subject": {"value": "2012"},
            "interest_accrual_basis": {"value": "act_360"},
        },
        _SYSTEM_LOCKED,
    ),
    (
        "loan",
        "Loan",
        L,
        "personal",
        "asset",
        "Term loan; amount range, rate and repayment set per product.",
        {
            "balance_direction": {"value": "debit"},
            "interest_rate": {"value": "4.35"},
            "term": {
                "value": "1Y",
                "principle_level": "default",
                "free_min": "6M",
                "free_max": "5Y",
            },
            "repayment_method": {"value": "equal_installment", "principle_level": "default"},
            "grace_period_days": {
                "value": "0",
                "principle_level": "default",
                "free_min": "0",
                "free_max": "15",
            },
            "allowed_customer_types": {"value": "personal"},
            "interbank_only": {"value": "false"},
            "allowed_currencies": {"value": "CNY"},
            "allowed_channels": {"value": "counter"},
            "allowed_media": {"value": "none"},
            "allowed_transactions": {"value": "drawdown,repayment,closure"},
            "min_opening_amount": {"value": "1000.00 CNY"},
            "max_opening_amount": {"value": "500000.00 CNY"},
            "collateral_required": {"value": "false"},
            "accounting_subject": {"value": "1303"},
            "interest_accrual_basis": {"value": "act_360"},
        },
        _SYSTEM_LOCKED,
    ),
    (
        "internal_account",
        "Internal account",
        INT,
        "internal",
        "intermediary",
        "Bank-internal account posting to one accounting subject.",
        {
            "balance_direction": {"value": "both"},
            "internal_purpose": {"value": "suspense"},
            "interest_bearing": {"value": "false"},
            "allowed_customer_types": {"value": "internal"},
            "interbank_only": {"value": "false"},
            "allowed_currencies": {"value": "CNY"},
            "allowed_channels": {"value": "counter,core"},
            "allowed_media": {"value": "none"},
            "allowed_transactions": {"value": "deposit,withdrawal,transfer,closure"},
            "min_opening_amount": {"value": "0.00 CNY"},
            "overdraft_allowed": {"value": "false"},
            "accounting_subject": {"value": "2241"},
        },
        _SYSTEM_LOCKED,
    ),
]

SETTING_DEFAULTS = {
    "free_min": "",
    "free_max": "",
    "negotiable_min": "",
    "negotiable_max": "",
}


# The catalogue's text in Simplified Chinese, by code.
LINE_NAMES_ZH = {D: "活期存款", T: "定期存款", L: "贷款", INT: "内部账户"}

# parameter code → (label, help text)
PARAMETER_TEXTS_ZH = {
    "balance_direction": ("余额反映方向", "余额记在总账的哪一方。"),
    "internal_purpose": ("内部账户用途", ""),
    "interest_bearing": ("是否计息", ""),
    "universal_withdrawal_mode": ("通兑方式", "账户可在何处支取。"),
    "term": ("存期/期限", ""),
    "renewal_count": ("续存期数", ""),
    "auto_renewal": ("自动转存", ""),
    "interest_rate": ("年利率（%）", ""),
    "repayment_method": ("还款方式", ""),
    "grace_period_days": ("宽限期（天）", ""),
    "allowed_customer_types": ("允许的客户类型", "留空表示不限客户类型。"),
    "interbank_only": ("仅限同业客户", ""),
    "allowed_currencies": ("允许的币种", ""),
    "allowed_channels": ("允许的渠道", ""),
    "allowed_media": ("允许的介质", ""),
    "allowed_transactions": ("允许的交易", ""),
    "min_opening_amount": ("起存金额", ""),
    "max_opening_amount": ("最高开户金额", ""),
    "min_retained_balance": ("最低留存金额", ""),
    "early_withdrawals_allowed": ("可提前支取次数", ""),
    "collateral_required": ("需要担保", ""),
    "overdraft_allowed": ("允许透支", ""),
    "accounting_subject": ("会计科目", "账户记账所用的总账科目。"),
    "interest_accrual_basis": ("计息基础", ""),
}

# template code → (name, description)
TEMPLATE_TEXTS_ZH = {
    "demand_deposit": ("活期存款", "随时支取的储蓄/结算账户。"),
    "time_deposit": ("定期存款", "固定存期的存款；存期、提前支取和续存次数按产品设定。"),
    "loan": ("贷款", "定期贷款；金额范围、利率和还款方式按产品设定。"),
    "internal_account": ("内部账户", "记入一个会计科目的银行内部账户。"),
}


def _texts(model, field: str, english: str, chinese: str) -> dict[str, str]:
    """`field` in English and Chinese, for the columns the (possibly historical) model has."""
    names = {f.name for f in model._meta.get_fields()}
    values = {field: english}
    for suffix, text in (("en", english), ("zh_hans", chinese)):
        if f"{field}_{suffix}" in names:
            values[f"{field}_{suffix}"] = text
    return values


def catalogue_install(apps) -> None:
    """Create what is missing of the lines, parameters and templates (never overwrites
    what administrators have changed)."""
    ProductLine = apps.get_model("products", "ProductLine")
    ParameterDefinition = apps.get_model("products", "ParameterDefinition")
    ProductTemplate = apps.get_model("products", "ProductTemplate")
    TemplateParameter = apps.get_model("products", "TemplateParameter")

    lines = {}
    for code, name, line_code, nature, order in LINES:
        lines[code], _created = ProductLine.objects.get_or_create(
            code=code,
            defaults={
                **_texts(ProductLine, "name", name, LINE_NAMES_ZH[code]),
                "line_code": line_code,
                "business_nature": nature,
                "sort_order": order,
            },
        )
    definitions = {}
    for index, (
        code,
        label,
        zone,
        data_type,
        level,
        choices,
        low,
        high,
        line_codes,
        help_text,
    ) in enumerate(PARAMETERS):
        definition, created = ParameterDefinition.objects.get_or_create(
            code=code,
            defaults={
                **_texts(ParameterDefinition, "label", label, PARAMETER_TEXTS_ZH[code][0]),
                **_texts(ParameterDefinition, "help_text", help_text, PARAMETER_TEXTS_ZH[code][1]),
                "zone": zone,
                "data_type": data_type,
                "principle_level": level,
                "choices": choices,
                "min_value": low,
                "max_value": high,
                "sort_order": 10 * (index + 1),
            },
        )
        if created:
            definition.lines.set([lines[line] for line in line_codes])
        definitions[code] = definition
    for code, name, line, group, nature, description, settings, locked in TEMPLATES:
        template, created = ProductTemplate.objects.get_or_create(
            code=code,
            defaults={
                **_texts(ProductTemplate, "name", name, TEMPLATE_TEXTS_ZH[code][0]),
                **_texts(ProductTemplate, "description", description, TEMPLATE_TEXTS_ZH[code][1]),
                "line": lines[line],
                "customer_group": group,
                "business_nature": nature,
            },
        )
        if not created:
            continue
        for parameter, setting in settings.items():
            definition = definitions[parameter]
            values = {**SETTING_DEFAULTS, **setting}
            values.setdefault("principle_level", definition.principle_level)
            TemplateParameter.objects.create(
                template=template, definition=definition, is_locked=parameter in locked, **values
            )
