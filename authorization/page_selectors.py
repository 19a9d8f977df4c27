"""Reads for the parameter administrators' pages: a version's whole content, loaded in a
fixed number of queries, with each trigger rule's condition in its text form."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Prefetch

from .models import (
    ImageCombination,
    ImageType,
    ProcessingRule,
    ReviewPoint,
    RuleSetStatus,
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
from .rules.compiler import CompiledRuleSet
from .rules.conditions import ConditionInvalid, condition_text, parse_condition
from .selectors import (
    RuleSetVersionNotFound,
    rule_set_compile,
    rule_set_compiled,
    rule_set_version_in_force_id,
)


@dataclass(frozen=True, slots=True)
class VersionRow:
    version: RuleSetVersion
    in_force: bool


def rule_set_version_rows(*, now: datetime) -> list[VersionRow]:
    """Every version, newest first, marking the one in force at `now` (two queries)."""
    in_force_id = rule_set_version_in_force_id(now=now)
    versions = (
        RuleSetVersion.objects.select_related("based_on", "created_by", "published_by")
        .annotate(rule_count=Count("trigger_rules", distinct=True))
        .order_by("-number")
    )
    return [VersionRow(version=v, in_force=v.pk == in_force_id) for v in versions]


@dataclass(frozen=True, slots=True)
class RuleRow:
    rule: TriggerRule
    condition_text: str
    condition_errors: tuple[str, ...]


@dataclass(frozen=True)
class VersionContent:
    """Everything one version holds, ready to render."""

    version: RuleSetVersion
    transaction_types: list[TransactionType]
    trigger_systems: list[TriggerSystem]
    reasons: list[TriggerReason]
    rules: list[RuleRow]
    processing_rules: list[ProcessingRule]
    scenes: list[Scene]
    image_types: list[ImageType]
    image_combinations: list[ImageCombination]


def transaction_elements_map(
    transaction_types: list[TransactionType],
) -> dict[int, dict[str, str]]:
    """Transaction type id → {element name: element type}, from prefetched elements."""
    return {
        tx.pk: {el.name: el.element_type for el in tx.elements.all()} for tx in transaction_types
    }


def rule_condition_render(*, condition, elements: dict[str, str] | None) -> tuple[str, tuple]:
    """(text form, errors): the text is empty when the condition does not parse."""
    try:
        return condition_text(parse_condition(condition, elements=elements)), ()
    except ConditionInvalid as exc:
        return "", tuple(exc.errors)


def rule_set_version_content(*, version: RuleSetVersion) -> VersionContent:
    """The whole content of `version` in a fixed number of queries."""
    transaction_types = list(
        TransactionType.objects.filter(version=version)
        .prefetch_related(Prefetch("elements", queryset=_elements_ordered()))
        .order_by("code")
    )
    elements = transaction_elements_map(transaction_types)
    rules = []
    for rule in (
        TriggerRule.objects.filter(version=version)
        .select_related("reason", "transaction_type")
        .prefetch_related(
            Prefetch("trigger_systems", queryset=TriggerSystem.objects.order_by("code"))
        )
        .order_by("position", "code")
    ):
        text, errors = rule_condition_render(
            condition=rule.condition,
            elements=elements.get(rule.transaction_type_id) if rule.transaction_type_id else None,
        )
        rules.append(RuleRow(rule=rule, condition_text=text, condition_errors=errors))
    scenes = list(
        Scene.objects.filter(version=version)
        .select_related("transaction_type", "channel")
        .prefetch_related(
            Prefetch(
                "image_rules",
                queryset=SceneImageRule.objects.select_related(
                    "image_type", "image_combination"
                ).order_by("requirement", "id"),
            ),
            Prefetch(
                "review_rules",
                queryset=SceneReviewRule.objects.order_by("position", "id").prefetch_related(
                    Prefetch("points", queryset=ReviewPoint.objects.order_by("position", "id"))
                ),
            ),
        )
        .order_by("code")
    )
    return VersionContent(
        version=version,
        transaction_types=transaction_types,
        trigger_systems=list(TriggerSystem.objects.filter(version=version).order_by("code")),
        reasons=list(TriggerReason.objects.filter(version=version).order_by("code")),
        rules=rules,
        processing_rules=list(
            ProcessingRule.objects.filter(version=version)
            .select_related("reason", "scene")
            .order_by("code")
        ),
        scenes=scenes,
        image_types=list(ImageType.objects.filter(version=version).order_by("kind", "code")),
        image_combinations=list(
            ImageCombination.objects.filter(version=version)
            .prefetch_related(Prefetch("image_types", queryset=ImageType.objects.order_by("code")))
            .order_by("code")
        ),
    )


def _elements_ordered():
    return TransactionElement.objects.order_by("id")


def rule_set_version_with_parents(*, number: int) -> RuleSetVersion:
    """One version with who created/published it and what it was based on.
    Raises RuleSetVersionNotFound."""
    try:
        return RuleSetVersion.objects.select_related("based_on", "created_by", "published_by").get(
            number=number
        )
    except RuleSetVersion.DoesNotExist:
        raise RuleSetVersionNotFound() from None


def rule_set_versions_for_choice() -> list[RuleSetVersion]:
    return list(RuleSetVersion.objects.order_by("-number"))


def rule_set_for_trial(*, version: RuleSetVersion) -> CompiledRuleSet:
    """The compiled rule set of `version` for the try-it form: a draft compiled now (it
    changes under the editor's hands), a published version from the per-process cache."""
    if version.status == RuleSetStatus.DRAFT:
        return rule_set_compile(version=version)
    return rule_set_compiled(version_id=version.pk)


def transaction_types_of(*, version: RuleSetVersion) -> list[TransactionType]:
    return list(
        TransactionType.objects.filter(version=version)
        .prefetch_related(Prefetch("elements", queryset=_elements_ordered()))
        .order_by("code")
    )
