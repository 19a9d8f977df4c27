"""A decision as plain data: one shape for the evaluate answer and for the snapshot a request
keeps of what was decided and why (with its readable parts in every language:
authorization/decision_texts.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..decision_texts import decision_texts
from ..rules.compiler import Decision


def _image_type(image) -> dict[str, Any]:
    return {
        "code": image.code,
        "name": image.name,
        "kind": image.kind,
        "min_count": image.min_count,
    }


def decision_as_dict(decision: Decision) -> dict[str, Any]:
    """Plain dicts and lists only (JSON-ready; evaluate's hot path builds it on every call)."""
    scene = decision.scene
    return {
        "required": decision.required,
        "refused": decision.refused,
        "mode": decision.mode,
        "level": decision.level,
        "authorizer_role": decision.authorizer_role,
        "authorizers_required": decision.authorizers_required,
        "time_limit_minutes": decision.time_limit_minutes,
        "escalation_level": decision.escalation_level,
        "scene": (
            {
                "code": scene.code,
                "name": scene.name,
                "classification": scene.classification,
                "business_type": scene.business_type,
            }
            if scene
            else None
        ),
        "required_image_types": [_image_type(i) for i in decision.required_image_types],
        "optional_image_types": [_image_type(i) for i in decision.optional_image_types],
        "review_points": [
            {"code": p.code, "text": p.text, "mandatory": p.mandatory}
            for p in decision.review_points
        ],
        "reasons": [
            {
                "reason": r.reason_code,
                "reason_name": r.reason_name,
                "rule": r.rule_code,
                "rule_name": r.rule_name,
                "condition": r.condition,
                "condition_expression": r.expression,
                "explanation": r.explanation,
                "outcome": r.outcome,
                "mode": r.mode,
                "level": r.level,
                "authorizers_required": r.authorizers_required,
            }
            for r in decision.reasons
        ],
        "rule_set_version": {"id": decision.version_id, "number": decision.version_number},
    }


def decision_snapshot(
    decision: Decision, *, language: str, in_languages: Mapping[str, Decision]
) -> dict[str, Any]:
    """What a request keeps of `decision` (decided in `language`): its plain data, the
    language it reads in and, under `texts`, its readable parts in each language of
    `in_languages` (the same decision, decided in that language)."""
    return {
        **decision_as_dict(decision),
        "language": language,
        "texts": {code: decision_texts(decided) for code, decided in in_languages.items()},
    }
