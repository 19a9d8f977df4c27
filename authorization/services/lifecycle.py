"""Model lifecycle: draft (a full copy), edit, check, simulate, publish, roll back."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bankcore.catalogues import localized_field, translations
from bankcore.errors import Conflict, DomainError
from bankcore.four_eyes import ProposalStatus
from bankcore.models import User

from ..models import (
    EvaluatedTransaction,
    ImageCombination,
    ImageType,
    ProcessingRule,
    ReviewPoint,
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
from ..rules.compiler import CompiledRuleSet, compile_rule_set
from ..rules.conditions import ConditionInvalid, parse_condition
from ..rules.names import condition_numbers, numbers_not_used
from ..selectors import rule_set_cache_clear, rule_set_spec


class DraftAlreadyExists(Conflict):
    code = "draft_exists"
    default_message = gettext_lazy("A draft version already exists; edit it or publish it first.")


class VersionNotEditable(Conflict):
    code = "version_not_editable"
    default_message = gettext_lazy(
        "Only the draft version can be edited; published versions stay as they were."
    )


class VersionNotPublishable(Conflict):
    code = "version_not_publishable"
    default_message = gettext_lazy("The version has check errors and cannot be published.")


class RuleConditionInvalid(DomainError):
    code = "condition_invalid"
    default_message = gettext_lazy("The condition is not valid.")


class VersionAwaitingApproval(Conflict):
    code = "version_awaiting_approval"
    default_message = gettext_lazy(
        "The draft is awaiting approval of its publication; withdraw the proposal to edit it."
    )


# Where each kind of rule-set item finds its version (a lookup path from the item). Draft
# writes lock that version's row; the PostgreSQL trigger (migration 0005) follows the same
# paths to refuse any change to an item of a published version.
ITEM_VERSION_PATHS: dict[type, str] = {
    TransactionType: "version",
    TransactionElement: "transaction_type__version",
    ImageType: "version",
    ImageCombination: "version",
    Scene: "version",
    SceneImageRule: "scene__version",
    SceneReviewRule: "scene__version",
    ReviewPoint: "review_rule__scene__version",
    TriggerSystem: "version",
    TriggerReason: "version",
    TriggerRule: "version",
    ProcessingRule: "version",
}


def version_require_draft(*, version: RuleSetVersion) -> RuleSetVersion:
    """Lock the version's row and refuse unless it is a draft with no publication awaiting
    approval. Must run inside the writer's transaction: a publication locks the same row,
    so a write either commits before the publication or sees the version published."""
    locked = RuleSetVersion.objects.select_for_update().filter(pk=version.pk).first()
    if locked is None or not locked.is_draft:
        raise VersionNotEditable()
    if locked.proposals.filter(status=ProposalStatus.PENDING).exists():
        raise VersionAwaitingApproval()
    version.status = locked.status
    return locked


def _item_version_ids(item) -> set[int | None]:
    """The version the item belongs to, as it is in memory and as it is stored."""
    path = ITEM_VERSION_PATHS[type(item)]
    *parents, last = path.split("__")
    holder = item
    for name in parents:
        holder = getattr(holder, name)
    ids = {getattr(holder, f"{last}_id")}
    if item.pk is not None:
        ids.add(type(item).objects.filter(pk=item.pk).values_list(path, flat=True).first())
    return ids


def item_require_draft(*, item, version: RuleSetVersion, related=()) -> RuleSetVersion:
    """Lock the draft and refuse an item (or related items) that is not part of it."""
    locked = version_require_draft(version=version)
    ids = _item_version_ids(item)
    for other in related:
        ids |= _item_version_ids(other)
    if ids != {version.pk}:
        raise VersionNotEditable()
    return locked


@transaction.atomic
def rule_set_draft_create(
    *,
    created_by: User | None,
    based_on: RuleSetVersion | None = None,
    note: str = "",
    now: datetime | None = None,
    empty: bool = False,
) -> RuleSetVersion:
    """A new draft: a full copy of `based_on` (default: the latest published version), or an
    empty rule set when nothing was ever published (or `empty`)."""
    if RuleSetVersion.objects.filter(status=RuleSetStatus.DRAFT).exists():
        raise DraftAlreadyExists()
    if based_on is None and not empty:
        based_on = (
            RuleSetVersion.objects.exclude(status=RuleSetStatus.DRAFT)
            .order_by("-published_at", "-number")
            .first()
        )
    number = (RuleSetVersion.objects.aggregate(top=Max("number"))["top"] or 0) + 1
    draft = RuleSetVersion.objects.create(
        number=number,
        status=RuleSetStatus.DRAFT,
        note=note,
        based_on=based_on,
        created_at=now or timezone.now(),
        created_by=created_by,
    )
    if based_on is not None:
        _copy_content(source=based_on, target=draft)
    return draft


def _both(item, field: str) -> dict[str, str]:
    """`field` of `item` in every catalogue language (a copy keeps the Chinese too)."""
    return translations(
        item,
        field,
        getattr(item, localized_field(field, "en")) or getattr(item, field),
        getattr(item, localized_field(field, "zh-hans")) or "",
    )


def _copy_content(*, source: RuleSetVersion, target: RuleSetVersion) -> None:
    systems = {}
    for item in TriggerSystem.objects.filter(version=source).order_by("id"):
        systems[item.pk] = TriggerSystem.objects.create(
            version=target, code=item.code, **_both(item, "name")
        )
    reasons = {}
    for item in TriggerReason.objects.filter(version=source).order_by("id"):
        reasons[item.pk] = TriggerReason.objects.create(
            version=target, code=item.code, **_both(item, "name")
        )
    transactions = {}
    for item in (
        TransactionType.objects.filter(version=source).prefetch_related("elements").order_by("id")
    ):
        copy = TransactionType.objects.create(
            version=target, code=item.code, **_both(item, "name"), business_type=item.business_type
        )
        transactions[item.pk] = copy
        TransactionElement.objects.bulk_create(
            TransactionElement(
                transaction_type=copy,
                name=el.name,
                **_both(el, "label"),
                element_type=el.element_type,
                is_required=el.is_required,
            )
            for el in item.elements.all()
        )
    image_types = {}
    for item in ImageType.objects.filter(version=source).order_by("id"):
        image_types[item.pk] = ImageType.objects.create(
            version=target, code=item.code, **_both(item, "name"), kind=item.kind
        )
    combinations = {}
    for item in (
        ImageCombination.objects.filter(version=source)
        .prefetch_related("image_types")
        .order_by("id")
    ):
        copy = ImageCombination.objects.create(
            version=target, code=item.code, **_both(item, "name")
        )
        copy.image_types.set([image_types[t.pk] for t in item.image_types.all()])
        combinations[item.pk] = copy
    scenes = {}
    for item in (
        Scene.objects.filter(version=source)
        .prefetch_related("image_rules", "review_rules__points")
        .order_by("id")
    ):
        copy = Scene.objects.create(
            version=target,
            code=item.code,
            **_both(item, "name"),
            classification=item.classification,
            business_type=item.business_type,
            transaction_type=transactions.get(item.transaction_type_id),
            channel=systems.get(item.channel_id),
        )
        scenes[item.pk] = copy
        SceneImageRule.objects.bulk_create(
            SceneImageRule(
                scene=copy,
                image_type=image_types.get(rule.image_type_id),
                image_combination=combinations.get(rule.image_combination_id),
                requirement=rule.requirement,
                min_count=rule.min_count,
            )
            for rule in item.image_rules.all()
        )
        for review_rule in item.review_rules.all():
            review_copy = SceneReviewRule.objects.create(
                scene=copy,
                code=review_rule.code,
                **_both(review_rule, "name"),
                position=review_rule.position,
            )
            ReviewPoint.objects.bulk_create(
                ReviewPoint(
                    review_rule=review_copy,
                    code=p.code,
                    **_both(p, "text"),
                    severity=p.severity,
                    position=p.position,
                )
                for p in review_rule.points.all()
            )
    for item in (
        TriggerRule.objects.filter(version=source)
        .prefetch_related("trigger_systems")
        .order_by("id")
    ):
        copy = TriggerRule.objects.create(
            version=target,
            code=item.code,
            **_both(item, "name"),
            reason=reasons[item.reason_id],
            transaction_type=transactions.get(item.transaction_type_id),
            condition=item.condition,
            position=item.position,
            is_active=item.is_active,
        )
        if item.trigger_systems.exists():
            copy.trigger_systems.set([systems[s.pk] for s in item.trigger_systems.all()])
    ProcessingRule.objects.bulk_create(
        ProcessingRule(
            version=target,
            code=item.code,
            reason=reasons[item.reason_id],
            outcome=item.outcome,
            mode=item.mode,
            level=item.level,
            authorizer_role=item.authorizer_role,
            authorizers_required=item.authorizers_required,
            time_limit_minutes=item.time_limit_minutes,
            escalation_level=item.escalation_level,
            scene=scenes.get(item.scene_id),
        )
        for item in ProcessingRule.objects.filter(version=source).order_by("id")
    )


_NOT_GIVEN: dict = {}


def trigger_rule_condition_validate(
    *, rule: TriggerRule, elements: dict[str, str] | None = _NOT_GIVEN
) -> None:
    """Refuse a condition that does not fit the rule's transaction and the fact catalogue.
    `elements` (name → type) may be given by a caller that checks many rules; otherwise they
    are read. Raises RuleConditionInvalid with the places in fields["condition"]."""
    if elements is _NOT_GIVEN:
        elements = (
            dict(rule.transaction_type.elements.values_list("name", "element_type"))
            if rule.transaction_type_id
            else None
        )
    try:
        parse_condition(rule.condition, elements=elements)
    except ConditionInvalid as exc:
        raise RuleConditionInvalid(
            _("The condition is not valid: %(errors)s") % {"errors": "; ".join(exc.errors)},
            fields={"condition": exc.errors},
        ) from None


@transaction.atomic
def trigger_rule_save(*, rule: TriggerRule, trigger_systems=None) -> TriggerRule:
    """Create or update a trigger rule of the draft, validating its condition."""
    item_require_draft(item=rule, version=rule.version, related=trigger_systems or ())
    trigger_rule_condition_validate(rule=rule)
    rule.full_clean(exclude=["condition"])
    rule.save()
    if trigger_systems is not None:
        rule.trigger_systems.set(trigger_systems)
    return rule


@transaction.atomic
def draft_item_save(*, item, version: RuleSetVersion, m2m: dict | None = None):
    """Create or update any other editable item of the draft (scene, processing rule, ...)."""
    related = [value for values in (m2m or {}).values() for value in values]
    item_require_draft(item=item, version=version, related=related)
    item.full_clean()
    item.save()
    for name, values in (m2m or {}).items():
        getattr(item, name).set(values)
    return item


@transaction.atomic
def draft_item_delete(*, item, version: RuleSetVersion) -> None:
    item_require_draft(item=item, version=version)
    item.delete()


# --- Check -----------------------------------------------------------------------------------


CHECK_PLACES = {
    "trigger_rule": gettext_lazy("trigger rule %(code)s"),
    "reason": gettext_lazy("reason %(code)s"),
    "scene": gettext_lazy("scene %(code)s"),
}


@dataclass(frozen=True, slots=True)
class CheckIssue:
    kind: str  # a key of CHECK_PLACES
    code: str
    message: str
    item_id: int | None = None  # the trigger rule's id, for a link to its form

    @property
    def place(self) -> str:
        """What the issue is about, in the language of the request."""
        return str(CHECK_PLACES[self.kind]) % {"code": self.code}


@dataclass(frozen=True)
class CheckReport:
    errors: tuple[CheckIssue, ...]
    warnings: tuple[CheckIssue, ...]

    @property
    def ok(self) -> bool:
        return not self.errors


def _stale_numbers(item, used: set) -> list[str]:
    """Numbers the item's name states (in every language it is kept in) that are not in `used`."""
    names = [
        getattr(item, f.name)
        for f in item._meta.fields
        if f.name == "name" or f.name.startswith("name_")
    ]
    stale: list[str] = []
    for name in names:
        for written in numbers_not_used(name or "", used):
            if written not in stale:
                stale.append(written)
    return stale


def rule_set_check(*, version: RuleSetVersion) -> CheckReport:
    """Validate every rule and look for conflicts: two processing rules for one reason, reasons
    that rules raise but nothing processes, scenes with no image rules; warn of rule and reason
    names that state a number their conditions no longer use."""
    errors: list[CheckIssue] = []
    warnings: list[CheckIssue] = []
    elements_by_type: dict[int, dict[str, str]] = defaultdict(dict)
    for type_id, name, element_type in TransactionElement.objects.filter(
        transaction_type__version=version
    ).values_list("transaction_type_id", "name", "element_type"):
        elements_by_type[type_id][name] = element_type
    numbers_by_reason: dict[int, set] = defaultdict(set)
    for rule in TriggerRule.objects.filter(version=version).order_by("position", "code"):
        elements = elements_by_type[rule.transaction_type_id] if rule.transaction_type_id else None
        try:
            trigger_rule_condition_validate(rule=rule, elements=elements)
        except RuleConditionInvalid as exc:
            for message in exc.fields["condition"]:
                errors.append(CheckIssue("trigger_rule", rule.code, message, item_id=rule.pk))
            continue
        # A name that states a number the condition no longer compares with misleads
        # whoever reads the rule ("≥ 50,000" after the threshold became 30,000).
        numbers = condition_numbers(parse_condition(rule.condition, elements=elements))
        if rule.is_active:
            numbers_by_reason[rule.reason_id] |= numbers
        if stale := _stale_numbers(rule, numbers):
            warnings.append(
                CheckIssue(
                    "trigger_rule",
                    rule.code,
                    _("its name states %(numbers)s, which its condition no longer uses")
                    % {"numbers": ", ".join(stale)},
                    item_id=rule.pk,
                )
            )
    for reason in version.trigger_reasons.filter(pk__in=list(numbers_by_reason)).order_by("code"):
        if stale := _stale_numbers(reason, numbers_by_reason[reason.pk]):
            warnings.append(
                CheckIssue(
                    "reason",
                    reason.code,
                    _(
                        "its name states %(numbers)s, which no condition of the active rules "
                        "raising it uses"
                    )
                    % {"numbers": ", ".join(stale)},
                )
            )
    processing_by_reason: dict[str, list[str]] = defaultdict(list)
    for code, reason_code in version.processing_rules.values_list("code", "reason__code"):
        processing_by_reason[reason_code].append(code)
    for reason_code, codes in sorted(processing_by_reason.items()):
        if len(codes) > 1:
            errors.append(
                CheckIssue(
                    "reason",
                    reason_code,
                    _("%(count)s processing rules for one reason: %(codes)s")
                    % {"count": len(codes), "codes": ", ".join(sorted(codes))},
                )
            )
    used = set(
        TriggerRule.objects.filter(version=version, is_active=True).values_list(
            "reason__code", flat=True
        )
    )
    for reason_code in version.trigger_reasons.order_by("code").values_list("code", flat=True):
        if reason_code not in processing_by_reason:
            issue = CheckIssue(
                "reason", reason_code, _("no processing rule says how it is handled")
            )
            (errors if reason_code in used else warnings).append(issue)
        elif reason_code not in used:
            warnings.append(
                CheckIssue("reason", reason_code, _("no active trigger rule raises it"))
            )
    for scene_code in (
        version.scenes.filter(image_rules__isnull=True)
        .order_by("code")
        .values_list("code", flat=True)
    ):
        errors.append(CheckIssue("scene", scene_code, _("the scene has no image rules")))
    for scene_code in (
        version.scenes.filter(review_rules__points__isnull=True)
        .order_by("code")
        .values_list("code", flat=True)
        .distinct()
    ):
        warnings.append(CheckIssue("scene", scene_code, _("the scene has no review points")))
    return CheckReport(errors=tuple(errors), warnings=tuple(warnings))


# --- Publish and roll back -------------------------------------------------------------------
# Only through a proposal approved by a second parameter administrator (services/proposals.py).


class EffectiveTimeInvalid(DomainError):
    code = "effective_at_invalid"
    default_message = gettext_lazy("The time the version is in force from is not valid.")


class VersionAlreadyInForce(Conflict):
    code = "version_already_in_force"
    default_message = gettext_lazy(
        "This version is already the latest publication; there is nothing to publish again."
    )


def check_refusal(report: CheckReport) -> VersionNotPublishable:
    issues = [
        _("%(place)s: %(message)s") % {"place": i.place, "message": i.message}
        for i in report.errors
    ]
    return VersionNotPublishable(
        _("Cannot publish: %(issues)s") % {"issues": "; ".join(issues)},
        fields={"version": issues},
    )


def publication_latest() -> RuleSetPublication | None:
    """The latest publication, in force or scheduled (the one a new one must follow)."""
    return (
        RuleSetPublication.objects.select_related("version")
        .order_by("-effective_at", "-id")
        .first()
    )


def publication_time_check(
    *, version: RuleSetVersion, effective_at: datetime | None, now: datetime
) -> None:
    """Refuse a publication that could not mean what it says: in force from a past time, or
    from before the latest publication (it would never be in force, or only briefly), or of
    the version that is already the latest publication."""
    latest = publication_latest()
    if latest is not None and latest.version_id == version.pk:
        raise VersionAlreadyInForce()
    if effective_at is None:
        return
    if effective_at < now:
        raise EffectiveTimeInvalid(
            _(
                "The time in force from is in the past; choose a time from now on, or leave it empty for 'on approval'."
            ),
            fields={
                "effective_at": [
                    _("Must not be in the past (now is %(now)s).")
                    % {"now": timezone.localtime(now).strftime("%Y-%m-%d %H:%M")}
                ]
            },
        )
    if latest is not None and effective_at <= latest.effective_at:
        message = _("Must be after v%(number)s's publication, in force from %(at)s.") % {
            "number": latest.version.number,
            "at": timezone.localtime(latest.effective_at).strftime("%Y-%m-%d %H:%M"),
        }
        raise EffectiveTimeInvalid(message, fields={"effective_at": [message]})


def publication_execute(
    *,
    version: RuleSetVersion,
    proposed_by: User,
    approved_by: User,
    effective_at: datetime,
    now: datetime,
    proposal=None,
) -> RuleSetPublication:
    """Publish (the draft) or publish again (roll back): the second half of an approved
    proposal, inside its transaction, with the version's row locked by the caller."""
    is_rollback = not version.is_draft
    version.status = RuleSetStatus.PUBLISHED
    version.effective_at = effective_at
    version.published_at = now
    version.published_by = proposed_by
    version.save(update_fields=["status", "effective_at", "published_at", "published_by"])
    publication = RuleSetPublication.objects.create(
        version=version,
        effective_at=effective_at,
        published_at=now,
        published_by=proposed_by,
        approved_by=approved_by,
        proposal=proposal,
        is_rollback=is_rollback,
    )
    # Now, so that evaluations later in this same transaction (seed_demo, a test) see the new
    # version; and again on commit, for anything cached by this process in between.
    rule_set_cache_clear()
    transaction.on_commit(rule_set_cache_clear)
    return publication


# --- Simulation ------------------------------------------------------------------------------


@dataclass
class SimulationLine:
    key: str  # reason code or branch code
    more: int = 0  # would now trigger and did not
    fewer: int = 0  # triggered and would not any more
    examples: list[dict] = field(default_factory=list)


@dataclass
class SimulationReport:
    version_number: int
    transactions: int
    newly_required: int
    no_longer_required: int
    by_reason: list[SimulationLine]
    by_branch: list[SimulationLine]
    errors: int


def rule_set_simulate(
    *,
    version: RuleSetVersion,
    since: datetime | None = None,
    limit: int = 2000,
    examples_per_line: int = 5,
) -> SimulationReport:
    """Re-evaluate recorded transactions under `version` and compare with what was decided
    at the time: per reason and per branch, how many more or fewer would have triggered."""
    from .evaluation import InvalidTransaction, TransactionInput, evaluate

    compiled: CompiledRuleSet = compile_rule_set(rule_set_spec(version=version))
    qs = EvaluatedTransaction.objects.order_by("-evaluated_at", "-id")
    if since is not None:
        qs = qs.filter(evaluated_at__gte=since)
    by_reason: dict[str, SimulationLine] = {}
    by_branch: dict[str, SimulationLine] = {}
    count = newly = no_longer = errors = 0
    for row in qs[:limit]:
        count += 1
        try:
            evaluation = evaluate(
                transaction=TransactionInput(
                    transaction_code=row.transaction_code,
                    channel=row.channel,
                    elements=row.elements,
                    branch_code=row.branch_code,
                    teller=row.teller,
                ),
                now=row.evaluated_at,
                rule_set=compiled,
                record=False,
            )
        except InvalidTransaction:
            errors += 1
            continue
        decision = evaluation.decision
        before = set(row.reason_codes)
        after = {reason.reason_code for reason in decision.reasons}
        example = {
            "reference": str(row.reference),
            "transaction_code": row.transaction_code,
            "branch_code": row.branch_code,
            "evaluated_at": row.evaluated_at,
            "elements": row.elements,
            "before": sorted(before),
            "after": sorted(after),
        }
        for reason_code in after - before:
            line = by_reason.setdefault(reason_code, SimulationLine(reason_code))
            line.more += 1
            if len(line.examples) < examples_per_line:
                line.examples.append(example)
        for reason_code in before - after:
            line = by_reason.setdefault(reason_code, SimulationLine(reason_code))
            line.fewer += 1
            if len(line.examples) < examples_per_line:
                line.examples.append(example)
        if decision.required != row.required:
            branch = by_branch.setdefault(
                row.branch_code or "-", SimulationLine(row.branch_code or "-")
            )
            if decision.required:
                newly += 1
                branch.more += 1
            else:
                no_longer += 1
                branch.fewer += 1
            if len(branch.examples) < examples_per_line:
                branch.examples.append(example)
    return SimulationReport(
        version_number=version.number,
        transactions=count,
        newly_required=newly,
        no_longer_required=no_longer,
        by_reason=sorted(by_reason.values(), key=lambda line: line.key),
        by_branch=sorted(by_branch.values(), key=lambda line: line.key),
        errors=errors,
    )
