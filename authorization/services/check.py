"""Checking a version before it is published: every condition valid, no conflicts, and
names that still say what the conditions do."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bankcore.errors import Conflict, DomainError

from ..models import RuleSetVersion, TransactionElement, TriggerRule
from ..rules.conditions import ConditionInvalid, parse_condition
from ..rules.names import condition_numbers, numbers_not_used


class VersionNotPublishable(Conflict):
    code = "version_not_publishable"
    default_message = gettext_lazy("The version has check errors and cannot be published.")


class RuleConditionInvalid(DomainError):
    code = "condition_invalid"
    default_message = gettext_lazy("The condition is not valid.")


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


def check_refusal(report: CheckReport) -> VersionNotPublishable:
    issues = [
        _("%(place)s: %(message)s") % {"place": i.place, "message": i.message}
        for i in report.errors
    ]
    return VersionNotPublishable(
        _("Cannot publish: %(issues)s") % {"issues": "; ".join(issues)},
        fields={"version": issues},
    )
