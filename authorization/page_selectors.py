"""Reads for the parameter administrators' pages: a version's whole content, loaded in a
fixed number of queries, with each trigger rule's condition in its text form."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import models
from django.db.models import Case, Count, Prefetch, When
from django.utils.translation import gettext_lazy as _

from bankcore.errors import NotFound
from bankcore.proposals import ProposalStatus

from .models import (
    ImageCombination,
    ImageType,
    ProcessingRule,
    ReviewPoint,
    RuleSetProposal,
    RuleSetPublication,
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
from .rules.conditions import ConditionInvalid, parse_condition
from .rules.sentences import ValueNames, condition_text
from .selectors import (
    RuleSetVersionNotFound,
    rule_set_compile,
    rule_set_compiled,
)
from .value_names import value_names


class VersionStanding(models.TextChoices):
    """Where a version stands at an instant, worked out from its publications (the same rule
    evaluate follows: the latest publication whose time has come is in force)."""

    DRAFT = "draft", _("Draft")
    IN_FORCE = "in_force", _("In force")
    SCHEDULED = "scheduled", _("Scheduled")
    SUPERSEDED = "superseded", _("Superseded")


@dataclass(frozen=True, slots=True)
class VersionRow:
    version: RuleSetVersion
    standing: str  # a VersionStanding value
    # The publication the row speaks of: the one in force, the scheduled one, or the last one.
    publication: RuleSetPublication | None
    pending_proposal: RuleSetProposal | None

    @property
    def in_force(self) -> bool:
        return self.standing == VersionStanding.IN_FORCE

    @property
    def standing_label(self) -> str:
        return VersionStanding(self.standing).label


def _publications_ordered():
    return RuleSetPublication.objects.select_related("published_by", "approved_by").order_by(
        "effective_at", "id"
    )


def version_standings(
    *, versions, publications: list[RuleSetPublication], pending: dict, now: datetime
) -> list[VersionRow]:
    """Each version's standing at `now` from the publications (oldest first)."""
    in_force = None
    for publication in publications:
        if publication.effective_at <= now:
            in_force = publication
    past: dict[int, RuleSetPublication] = {}
    upcoming: dict[int, RuleSetPublication] = {}
    for publication in publications:
        if publication.effective_at <= now:
            past[publication.version_id] = publication
        else:
            upcoming.setdefault(publication.version_id, publication)
    rows = []
    for version in versions:
        if version.is_draft:
            standing, shown = VersionStanding.DRAFT, None
        elif in_force is not None and in_force.version_id == version.pk:
            standing, shown = VersionStanding.IN_FORCE, in_force
        elif version.pk in upcoming:
            standing, shown = VersionStanding.SCHEDULED, upcoming[version.pk]
        else:
            standing, shown = VersionStanding.SUPERSEDED, past.get(version.pk)
        # Choice lists (compare, try it) label each version by its standing too.
        version.standing_label = VersionStanding(standing).label
        rows.append(
            VersionRow(
                version=version,
                standing=standing,
                publication=shown,
                pending_proposal=pending.get(version.pk),
            )
        )
    return rows


def rule_set_version_rows(*, now: datetime) -> list[VersionRow]:
    """Every version, newest first, with where it stands at `now` (three queries)."""
    versions = (
        RuleSetVersion.objects.select_related("based_on", "created_by")
        .annotate(rule_count=Count("trigger_rules", distinct=True))
        .order_by("-number")
    )
    pending = {
        proposal.version_id: proposal
        for proposal in RuleSetProposal.objects.filter(
            status=ProposalStatus.PENDING
        ).select_related("proposed_by")
    }
    return version_standings(
        versions=versions,
        publications=list(_publications_ordered()),
        pending=pending,
        now=now,
    )


@dataclass(frozen=True, slots=True)
class VersionState:
    row: VersionRow
    publications: tuple[RuleSetPublication, ...]  # of this version, newest first
    latest_publication_version_id: int | None  # of the latest publication, any version


def rule_set_version_state(*, version: RuleSetVersion, now: datetime) -> VersionState:
    """One version's standing at `now`, its publications (who proposed, who approved) and
    its pending proposal (two queries)."""
    pending = {
        proposal.version_id: proposal
        for proposal in RuleSetProposal.objects.filter(
            status=ProposalStatus.PENDING, version=version
        ).select_related("proposed_by")
    }
    publications = list(_publications_ordered())
    row = version_standings(
        versions=[version], publications=publications, pending=pending, now=now
    )[0]
    return VersionState(
        row=row,
        publications=tuple(p for p in reversed(publications) if p.version_id == version.pk),
        latest_publication_version_id=max(
            publications, key=lambda p: (p.effective_at, p.pk)
        ).version_id
        if publications
        else None,
    )


@dataclass(frozen=True, slots=True)
class ProposalRow:
    proposal: RuleSetProposal
    # What the version would replace: the latest publication at proposal time (for "compare").
    replaces_number: int | None


def rule_set_proposal_rows(*, limit: int = 50) -> list[ProposalRow]:
    """Pending proposals first, then the latest decided ones, with both administrators."""
    latest = (
        RuleSetPublication.objects.order_by("-effective_at", "-id")
        .values_list("version__number", flat=True)
        .first()
    )
    proposals = RuleSetProposal.objects.select_related(
        "version", "proposed_by", "decided_by"
    ).order_by(
        Case(When(status=ProposalStatus.PENDING, then=0), default=1),
        "-proposed_at",
        "-id",
    )[:limit]
    return [
        ProposalRow(proposal=p, replaces_number=latest if p.is_pending else None) for p in proposals
    ]


def rule_set_proposal_get(*, proposal_id: int) -> RuleSetProposal:
    """Raises RuleSetProposalNotFound."""
    try:
        return RuleSetProposal.objects.select_related("version", "proposed_by").get(pk=proposal_id)
    except RuleSetProposal.DoesNotExist:
        raise RuleSetProposalNotFound() from None


class RuleSetProposalNotFound(NotFound):
    code = "rule_set_proposal_not_found"
    default_message = _("No such proposal.")


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


def rule_condition_render(
    *,
    condition,
    elements: dict[str, str] | None,
    labels: dict[str, str] | None = None,
    names: ValueNames | None = None,
) -> tuple[str, tuple]:
    """(the condition as a sentence, errors): the sentence is empty when the condition does
    not parse. `labels`: the transaction's element labels (name → label); `names`: the
    names of the catalogue values it picks (value_names.value_names; one per page)."""
    try:
        node = parse_condition(condition, elements=elements)
    except ConditionInvalid as exc:
        return "", tuple(exc.errors)
    return condition_text(node, labels, elements=elements, names=names), ()


def rule_set_version_content(*, version: RuleSetVersion) -> VersionContent:
    """The whole content of `version` in a fixed number of queries."""
    transaction_types = list(
        TransactionType.objects.filter(version=version)
        .prefetch_related(Prefetch("elements", queryset=_elements_ordered()))
        .order_by("code")
    )
    elements = transaction_elements_map(transaction_types)
    element_labels = {
        tx.pk: {el.name: el.label or el.name for el in tx.elements.all()}
        for tx in transaction_types
    }
    trigger_systems = list(TriggerSystem.objects.filter(version=version).order_by("code"))
    # The version's catalogues are at hand; branches, products and lines are held per process.
    names = value_names(
        known={
            "transaction": {tx.code: tx.name for tx in transaction_types},
            "channel": {channel.code: channel.name for channel in trigger_systems},
        }
    )
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
            labels=element_labels.get(rule.transaction_type_id),
            names=names,
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
        trigger_systems=trigger_systems,
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
        return RuleSetVersion.objects.select_related("based_on", "created_by").get(number=number)
    except RuleSetVersion.DoesNotExist:
        raise RuleSetVersionNotFound() from None


def rule_set_versions_for_choice(*, now: datetime) -> list[RuleSetVersion]:
    """Every version, newest first, each labelled with its standing at `now`."""
    return [row.version for row in rule_set_version_rows(now=now)]


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
