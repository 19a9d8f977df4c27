"""The readable parts of a request's decision snapshot, in every language, and the snapshot as
one reader reads it.

A request keeps what was decided when it was submitted (services/decisions.py
`decision_snapshot`): the decision's plain data in the submitter's language, its `language`,
and under `texts` the parts a person reads (scene name, image type names, review point texts,
each reason's name, rule name, condition and explanation) in every language of
settings.LANGUAGES, as they read at submission. Names changed in the catalogue later do not
change them.

`decision_in_language` gives a reader the snapshot with those parts in their language. A
snapshot written before the texts were kept (no `texts`), or one without the reader's
language, reads as it was stored: in the language it was submitted in. No database access.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from bankcore.catalogues import catalogue_language

if TYPE_CHECKING:
    from .rules.compiler import Decision

# The keys of one language's texts.
SCENE, IMAGE_TYPES, REVIEW_POINTS, REASONS = "scene", "image_types", "review_points", "reasons"
REASON_TEXTS = ("reason_name", "rule_name", "condition", "explanation")


def decision_texts(decision: Decision) -> dict[str, Any]:
    """The parts of `decision` a person reads, in the language it was decided in: image types
    and review points by code, reasons by rule code."""
    images = (*decision.required_image_types, *decision.optional_image_types)
    return {
        SCENE: decision.scene.name if decision.scene else None,
        IMAGE_TYPES: {image.code: image.name for image in images},
        REVIEW_POINTS: {point.code: point.text for point in decision.review_points},
        REASONS: {
            reason.rule_code: {
                "reason_name": reason.reason_name,
                "rule_name": reason.rule_name,
                "condition": reason.condition,
                "explanation": reason.explanation,
            }
            for reason in decision.reasons
        },
    }


def _texts_for(
    texts: Mapping[str, Any] | None, language: str
) -> tuple[str, Mapping[str, Any]] | None:
    """(language kept, its texts) for `language`: the same language, else one read with the
    same catalogue language ("zh-hans" for "zh-cn"); None when the snapshot has neither."""
    if not texts:
        return None
    if language in texts:
        return language, texts[language]
    wanted = catalogue_language(language)
    for kept, kept_texts in texts.items():
        if catalogue_language(kept) == wanted:
            return kept, kept_texts
    return None


def decision_in_language(snapshot: Mapping[str, Any], language: str) -> dict[str, Any]:
    """A request's decision snapshot with its readable parts in `language` (`language` then
    names it); as stored where the snapshot lacks that language (a part it lacks keeps the
    stored text)."""
    shown = {key: value for key, value in snapshot.items() if key != "texts"}
    found = _texts_for(snapshot.get("texts"), language)
    if found is None:
        return shown
    kept, texts = found
    scene = snapshot.get("scene")
    if scene and texts.get(SCENE):
        shown["scene"] = {**scene, "name": texts[SCENE]}
    names = texts.get(IMAGE_TYPES, {})
    for key in ("required_image_types", "optional_image_types"):
        shown[key] = [
            {**image, "name": names.get(image["code"], image["name"])}
            for image in snapshot.get(key, [])
        ]
    points = texts.get(REVIEW_POINTS, {})
    shown["review_points"] = [
        {**point, "text": points.get(point["code"], point["text"])}
        for point in snapshot.get("review_points", [])
    ]
    reasons = texts.get(REASONS, {})
    shown["reasons"] = [
        {**reason, **_present(reasons.get(reason["rule"]))}
        for reason in snapshot.get("reasons", [])
    ]
    shown["language"] = kept
    return shown


def _present(reason_texts: Mapping[str, str] | None) -> dict[str, str]:
    return {key: reason_texts[key] for key in REASON_TEXTS if reason_texts and key in reason_texts}
