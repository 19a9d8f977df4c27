"""What the pages tests share: the page text and a trigger rule's form."""

import html
import json

from django.urls import reverse


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def rule_url(version, rule) -> str:
    return reverse("authorization:item-edit", args=[version.number, "rules", rule.pk])


def rule_post(rule, condition) -> dict:
    return {
        "code": rule.code,
        "name_en": rule.name_en,
        "name_zh_hans": rule.name_zh_hans or "",
        "reason": rule.reason_id,
        "transaction_type": rule.transaction_type_id or "",
        "trigger_systems": [s.pk for s in rule.trigger_systems.all()],
        "condition": json.dumps(condition),
        "position": rule.position,
        "is_active": "on",
    }
