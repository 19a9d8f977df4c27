"""Rule sets built for one test: each test names the transactions, rules and processing it
asserts about, as plain content (what rule_set_content_load takes), instead of leaning on the
demo rule set.

    version = rule_set(
        admins,
        rules=[rule("CASH_50K", reason="LARGE_CASH", condition=amount_at_least("50000.00"))],
        processing=[processing("P_LARGE_CASH", reason="LARGE_CASH", level=1)],
    )

Defaults: channels counter and mobile, one cash withdrawal with an amount element, one reason
(LARGE_CASH), one trigger rule (amount ≥ 50,000 CNY → LARGE_CASH) and its processing rule
(remote, level 1). Published by one administrator and approved by another, a minute ago.

Desks bundle what one kind of counter business needs (transactions, rules, processing, image
types and scenes): WITHDRAWAL_DESK, REVERSAL_DESK, VIP_DESK, EXPIRED_ID_DESK. `desks()` joins
them into one version, so a test reads which businesses its outcome comes from:

    version = rule_set(admins, **desks(WITHDRAWAL_DESK, REVERSAL_DESK))
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from authorization.services import rule_set_content_load, rule_set_draft_create

AMOUNT = ("amount", "Amount", "money", True)
CUSTOMER_NO = ("customer_no", "Customer number", "customer_no", False)


def amount_at_least(amount: str, currency: str = "CNY") -> dict:
    return {"field": "elements.amount", "op": "gte", "value": f"{amount} {currency}"}


def transaction(
    code: str = "CASH_WITHDRAWAL",
    *elements: tuple,
    name: str = "",
    business_type: str = "deposit",
) -> dict:
    """A transaction type; elements are (name, label, type, required), default the amount."""
    return {
        "code": code,
        "name": name or code.replace("_", " ").capitalize(),
        "business_type": business_type,
        "elements": list(elements or (AMOUNT,)),
    }


def rule(
    code: str,
    *,
    reason: str,
    condition: dict,
    transaction: str | None = "CASH_WITHDRAWAL",
    systems: tuple[str, ...] = (),
    name: str = "",
) -> dict:
    return {
        "code": code,
        "name": name or code,
        "reason": reason,
        "transaction": transaction,
        "systems": list(systems),
        "condition": condition,
    }


def processing(
    code: str, *, reason: str, mode: str = "remote_centralized", level: int = 1, **other
) -> dict:
    """A processing rule; other keys as rule_set_content_load takes them (role, authorizers,
    time_limit, escalation_level, scene, outcome)."""
    return {"code": code, "reason": reason, "mode": mode, "level": level, **other}


def scene(
    code: str,
    *,
    transaction: str | None,
    images: list[tuple] = (),
    review: list[tuple] = (),
    classification: str = "cash",
    business_type: str = "deposit",
    name: str = "",
) -> dict:
    """A scene: images [(type or combination code, "required"|"optional", min_count)], review
    [(rule code, rule name, [(point code, text, "mandatory"|"advisory")])]."""
    return {
        "code": code,
        "name": name or code.replace("_", " ").capitalize(),
        "classification": classification,
        "business_type": business_type,
        "transaction": transaction,
        "images": list(images),
        "review": list(review),
    }


DEFAULT_RULE = rule("CASH_50K", reason="LARGE_CASH", condition=amount_at_least("50000.00"))
DEFAULT_PROCESSING = processing("P_LARGE_CASH", reason="LARGE_CASH")


# The cash-withdrawal desk most request tests work at: 50,000 CNY → remote level 1 (15 minutes,
# then level 2); 200,000 CNY → remote level 2, two authorizers (20 minutes, then level 3). The
# scene asks for the ID card pair and the slip (on-site photo optional) and four mandatory
# review points plus one advisory.
WITHDRAWAL = transaction("CASH_WITHDRAWAL", AMOUNT, CUSTOMER_NO, name="Cash withdrawal")
LARGE_CASH = rule(
    "CASH_50K",
    reason="LARGE_CASH",
    condition=amount_at_least("50000.00"),
    name="Cash withdrawal from 50,000 CNY",
)
VERY_LARGE_CASH = rule(
    "CASH_200K",
    reason="VERY_LARGE_CASH",
    condition=amount_at_least("200000.00"),
    name="Cash withdrawal from 200,000 CNY",
)
P_LARGE_CASH = processing(
    "P_LARGE_CASH", reason="LARGE_CASH", level=1, time_limit=15, escalation_level=2
)
P_VERY_LARGE_CASH = processing(
    "P_VERY_LARGE_CASH",
    reason="VERY_LARGE_CASH",
    level=2,
    authorizers=2,
    time_limit=20,
    escalation_level=3,
)
ID_CARD_TYPES = [
    ("ID_CARD_FRONT", "ID card, front", "customer_id"),
    ("ID_CARD_BACK", "ID card, back", "customer_id"),
]
ID_CARD_PAIR = ("ID_CARD_PAIR", "ID card pair", ["ID_CARD_FRONT", "ID_CARD_BACK"])
WITHDRAWAL_IMAGE_TYPES = [
    *ID_CARD_TYPES,
    ("WITHDRAWAL_SLIP", "Withdrawal slip", "application_voucher"),
    ("ONSITE_PHOTO", "On-site photo of the customer", "scene_image"),
]
WITHDRAWAL_SCENE = scene(
    "CASH_WITHDRAWAL",
    transaction="CASH_WITHDRAWAL",
    name="Cash withdrawal",
    images=[
        ("ID_CARD_PAIR", "required", 1),
        ("WITHDRAWAL_SLIP", "required", 1),
        ("ONSITE_PHOTO", "optional", 1),
    ],
    review=[
        (
            "IDENTITY",
            "Identity",
            [
                ("ID_MATCHES", "The ID card matches the customer", "mandatory"),
                ("ID_VALID", "The ID card is within its validity period", "mandatory"),
            ],
        ),
        (
            "VOUCHER",
            "Voucher",
            [
                ("SLIP_AMOUNT", "The slip's amount equals the entered amount", "mandatory"),
                ("SLIP_SIGNED", "The slip is signed by the customer", "mandatory"),
                ("PURPOSE", "The purpose of a large withdrawal is plausible", "advisory"),
            ],
        ),
    ],
)


WITHDRAWAL_DESK = {
    "transactions": [WITHDRAWAL],
    "rules": [LARGE_CASH, VERY_LARGE_CASH],
    "processing": [P_LARGE_CASH, P_VERY_LARGE_CASH],
    "image_types": WITHDRAWAL_IMAGE_TYPES,
    "image_combinations": [ID_CARD_PAIR],
    "scenes": [WITHDRAWAL_SCENE],
}

# Every reversal goes to the branch supervisor, on site; the scene asks for the application and
# the original voucher and one mandatory point, that the reason is stated.
REVERSAL_DESK = {
    "transactions": [
        transaction(
            "REVERSAL",
            ("original_reference", "Original transaction", "string", True),
            ("amount", "Amount", "money", False),
            business_type="general",
        )
    ],
    "rules": [rule("REVERSAL", reason="REVERSAL", transaction="REVERSAL", condition={"all": []})],
    "processing": [
        processing("P_REVERSAL", reason="REVERSAL", mode="on_site", role="branch_supervisor")
    ],
    "image_types": [
        ("REVERSAL_APPLICATION", "Reversal application", "application_voucher"),
        ("ORIGINAL_VOUCHER", "Original transaction voucher", "completion_voucher"),
    ],
    "scenes": [
        scene(
            "REVERSAL",
            transaction="REVERSAL",
            classification="general",
            business_type="general",
            images=[("REVERSAL_APPLICATION", "required", 1), ("ORIGINAL_VOUCHER", "required", 1)],
            review=[
                (
                    "REASON",
                    "Reason",
                    [("REASON_STATED", "The reason for the reversal is stated", "mandatory")],
                )
            ],
        )
    ],
}

# A customer whose ID document has expired is served on site by the branch supervisor, whatever
# the transaction: a rule that makes evaluation look the customer up (an unknown customer_no is
# refused, a known one costs the look-up of their facts).
EXPIRED_ID_DESK = {
    "rules": [
        rule(
            "EXPIRED_ID",
            reason="EXPIRED_ID",
            transaction=None,
            condition={"field": "customer.has_expired_document", "op": "eq", "value": True},
        )
    ],
    "processing": [
        processing("P_EXPIRED_ID", reason="EXPIRED_ID", mode="on_site", role="branch_supervisor")
    ],
}

# A VIP (level 3+) withdrawing from 20,000 CNY: remote, level 1.
VIP_DESK = {
    "rules": [
        rule(
            "VIP_20K",
            reason="VIP_CUSTOMER",
            condition={
                "all": [
                    {"field": "customer.vip_level", "op": "gte", "value": 3},
                    {"field": "elements.amount", "op": "gte", "value": "20000.00 CNY"},
                ]
            },
        )
    ],
    "processing": [processing("P_VIP", reason="VIP_CUSTOMER", time_limit=10)],
}

ACCOUNT_OPENING = transaction(
    "ACCOUNT_OPENING",
    ("customer_no", "Customer number", "customer_no", True),
    ("product_code", "Product", "product_code", True),
    ("amount", "Opening amount", "money", False),
    ("parameters", "Opening parameters", "parameters", False),
    ("terminal", "Terminal", "string", False),
    business_type="account",
)


def desks(*parts: dict, **extra) -> dict:
    """The content of several desks together (their lists joined), as rule_set keyword
    arguments; `extra` adds to or replaces them."""
    content: dict = {}
    for part in parts:
        for key, items in part.items():
            content[key] = [*content.get(key, []), *items]
    return {**content, **extra}


def withdrawal_rule_set(admins: tuple, **extra):
    """The withdrawal desk published (or a draft with `published=False`)."""
    return rule_set(admins, **desks(WITHDRAWAL_DESK, **extra))


def _named(item: str | tuple) -> tuple[str, str]:
    """(code, name) as given, or the code with a name made from it."""
    return item if isinstance(item, tuple) else (item, item.replace("_", " ").capitalize())


def rule_set(
    admins: tuple,
    *,
    published: bool = True,
    channels: tuple = ("counter", "mobile"),
    reasons: list | None = None,
    transactions: list[dict] | None = None,
    rules: list[dict] | None = None,
    processing: list[dict] | None = None,
    now=None,
    **content,
):
    """A draft with this content (scenes, image_types, image_combinations ... as
    rule_set_content_load takes them), published unless `published=False`. `admins` is
    (proposer, approver). Channels and reasons are codes or (code, name); reasons default to
    those the rules and processing rules name."""
    from tests.authorization.conftest import publish_with_approval

    proposed_by, approved_by = admins
    now = now or timezone.now() - timedelta(minutes=1)
    rules = [DEFAULT_RULE] if rules is None else rules
    processing = [DEFAULT_PROCESSING] if processing is None else processing
    if reasons is None:
        reasons = list(dict.fromkeys(item["reason"] for item in [*rules, *processing]))
    draft = rule_set_draft_create(
        created_by=proposed_by, note="Built for a test", now=now, empty=True
    )
    rule_set_content_load(
        version=draft,
        content={
            "trigger_systems": [_named(item) for item in channels],
            "reasons": [_named(item) for item in reasons],
            "transactions": [transaction()] if transactions is None else transactions,
            "rules": rules,
            "processing": processing,
            **content,
        },
    )
    if not published:
        return draft
    return publish_with_approval(
        version=draft, proposed_by=proposed_by, approved_by=approved_by, now=now
    )
