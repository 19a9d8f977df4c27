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


def rule_set(
    admins: tuple,
    *,
    published: bool = True,
    channels: tuple[str, ...] = ("counter", "mobile"),
    reasons: list[str] | None = None,
    transactions: list[dict] | None = None,
    rules: list[dict] | None = None,
    processing: list[dict] | None = None,
    now=None,
    **content,
):
    """A draft with this content (scenes, image_types, image_combinations ... as
    rule_set_content_load takes them), published unless `published=False`. `admins` is
    (proposer, approver). Reasons default to those the rules and processing rules name."""
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
            "trigger_systems": [(code, code.capitalize()) for code in channels],
            "reasons": [(code, code.replace("_", " ").capitalize()) for code in reasons],
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
