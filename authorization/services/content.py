"""Loading rule-set content from a plain structure into a draft (demo data, tests, imports)."""

from __future__ import annotations

from django.db import transaction

from bankcore.catalogues import translations

from ..item_kinds import PROCESSING_RULES, SCENES, TRANSACTION_TYPES, TRIGGER_RULES, ItemKind
from ..models import (
    ImageCombination,
    ImageType,
    ProcessingRule,
    ReviewPoint,
    RuleSetVersion,
    Scene,
    SceneImageRule,
    SceneReviewRule,
    TransactionElement,
    TransactionType,
    TriggerReason,
    TriggerRule,
    TriggerSystem,
)
from .check import trigger_rule_condition_validate
from .lifecycle import version_require_draft


def _declared(kind: ItemKind, item: dict, given: dict) -> dict:
    """The other plain fields the kind declares that the item names: a new column of a scene
    (or a transaction, a rule) is loaded by its field name without an edit here."""
    return {
        f.name: item[f.name]
        for f in kind.fields
        if f.name in item
        and f.name not in given
        and not f.text
        and not kind.model._meta.get_field(f.name).is_relation
    }


@transaction.atomic
def rule_set_content_load(*, version: RuleSetVersion, content: dict) -> None:
    """Add the content to a draft. Keys (all optional): trigger_systems [(code, name)],
    reasons [(code, name)], transactions [{code, name, business_type, elements: [(name, label,
    type, required)]}], image_types [(code, name, kind)], image_combinations [(code, name,
    [type codes])], scenes [{code, name, classification, business_type, transaction, channel,
    images: [(type or combination code, "required"|"optional", min_count)], review: [(rule code,
    rule name, [(point code, text, "mandatory"|"advisory")])]}], rules [{code, name, reason,
    transaction, systems, condition}], processing [{code, reason, mode, level, role, ...}],
    zh_hans {English text: Chinese text} (the names, labels and texts above in Chinese).
    A transaction, scene, rule or processing rule may also name any other field its kind
    declares (item_kinds.py) by the field's name."""
    version_require_draft(version=version)
    chinese = content.get("zh_hans", {})

    def texts(model, field: str, english: str) -> dict[str, str]:
        return translations(model, field, english, chinese.get(english, ""))

    systems = {
        code: TriggerSystem.objects.create(
            version=version, code=code, **texts(TriggerSystem, "name", name)
        )
        for code, name in content.get("trigger_systems", [])
    }
    systems.update({s.code: s for s in version.trigger_systems.all()})
    reasons = {
        code: TriggerReason.objects.create(
            version=version, code=code, **texts(TriggerReason, "name", name)
        )
        for code, name in content.get("reasons", [])
    }
    reasons.update({r.code: r for r in version.trigger_reasons.all()})
    transactions = {}
    for item in content.get("transactions", []):
        given = {
            "version": version,
            "code": item["code"],
            **texts(TransactionType, "name", item["name"]),
            "business_type": item["business_type"],
        }
        tx = TransactionType.objects.create(**given, **_declared(TRANSACTION_TYPES, item, given))
        TransactionElement.objects.bulk_create(
            TransactionElement(
                transaction_type=tx,
                name=name,
                **texts(TransactionElement, "label", label),
                element_type=kind,
                is_required=required,
            )
            for name, label, kind, required in item["elements"]
        )
        transactions[tx.code] = tx
    transactions.update({t.code: t for t in version.transaction_types.all()})
    image_types = {
        code: ImageType.objects.create(
            version=version, code=code, **texts(ImageType, "name", name), kind=kind
        )
        for code, name, kind in content.get("image_types", [])
    }
    image_types.update({t.code: t for t in version.image_types.all()})
    combinations = {}
    for code, name, members in content.get("image_combinations", []):
        combo = ImageCombination.objects.create(
            version=version, code=code, **texts(ImageCombination, "name", name)
        )
        combo.image_types.set([image_types[m] for m in members])
        combinations[code] = combo
    combinations.update({c.code: c for c in version.image_combinations.all()})
    scenes = {}
    for item in content.get("scenes", []):
        given = {
            "version": version,
            "code": item["code"],
            **texts(Scene, "name", item["name"]),
            "classification": item["classification"],
            "business_type": item["business_type"],
            "transaction_type": transactions.get(item.get("transaction")),
            "channel": systems.get(item.get("channel")),
        }
        scene = Scene.objects.create(**given, **_declared(SCENES, item, given))
        for image_code, requirement, min_count in item.get("images", []):
            SceneImageRule.objects.create(
                scene=scene,
                image_type=image_types.get(image_code),
                image_combination=combinations.get(image_code)
                if image_code not in image_types
                else None,
                requirement=requirement,
                min_count=min_count,
            )
        for position, (rule_code, rule_name, points) in enumerate(item.get("review", [])):
            review_rule = SceneReviewRule.objects.create(
                scene=scene,
                code=rule_code,
                **texts(SceneReviewRule, "name", rule_name),
                position=position,
            )
            ReviewPoint.objects.bulk_create(
                ReviewPoint(
                    review_rule=review_rule,
                    code=code,
                    **texts(ReviewPoint, "text", text),
                    severity=severity,
                    position=index,
                )
                for index, (code, text, severity) in enumerate(points)
            )
        scenes[scene.code] = scene
    scenes.update({s.code: s for s in version.scenes.all()})
    for position, item in enumerate(content.get("rules", [])):
        given = {
            "version": version,
            "code": item["code"],
            **texts(TriggerRule, "name", item["name"]),
            "reason": reasons[item["reason"]],
            "transaction_type": transactions.get(item.get("transaction")),
            "condition": item["condition"],
            "position": item.get("position", (position + 1) * 10),
        }
        rule = TriggerRule(**given, **_declared(TRIGGER_RULES, item, given))
        trigger_rule_condition_validate(rule=rule)
        rule.save()
        if item.get("systems"):
            rule.trigger_systems.set([systems[code] for code in item["systems"]])
    for item in content.get("processing", []):
        given = {
            "version": version,
            "code": item["code"],
            "reason": reasons[item["reason"]],
            "outcome": item.get("outcome", "authorize"),
            "mode": item["mode"],
            "level": item.get("level", 1),
            "authorizer_role": item.get("role", "remote_authorizer"),
            "authorizers_required": item.get("authorizers", 1),
            "time_limit_minutes": item.get("time_limit"),
            "escalation_level": item.get("escalation_level"),
            "scene": scenes.get(item.get("scene")),
        }
        ProcessingRule.objects.create(**given, **_declared(PROCESSING_RULES, item, given))
