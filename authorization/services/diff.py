"""Comparing two rule-set versions: what was added, removed or changed, section by section,
with trigger conditions in their text form so an administrator can read them side by side."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from ..models import RuleSetVersion
from ..page_selectors import VersionContent, rule_set_version_content

ADDED = "added"
REMOVED = "removed"
CHANGED = "changed"


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str  # the field's label
    before: str
    after: str


@dataclass(frozen=True, slots=True)
class ItemChange:
    """One item of a section (keyed by its code) that differs between the versions."""

    key: str
    label: str
    status: str  # ADDED | REMOVED | CHANGED
    # Every field for added/removed items (before or after empty); the changed ones otherwise.
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True, slots=True)
class SectionDiff:
    name: str
    title: str
    added: tuple[ItemChange, ...]
    removed: tuple[ItemChange, ...]
    changed: tuple[ItemChange, ...]

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    @property
    def items(self) -> tuple[ItemChange, ...]:
        return self.added + self.removed + self.changed


@dataclass(frozen=True, slots=True)
class RuleSetDiff:
    base_number: int
    other_number: int
    sections: tuple[SectionDiff, ...]

    @property
    def is_empty(self) -> bool:
        return all(section.is_empty for section in self.sections)

    def section(self, name: str) -> SectionDiff:
        return next(section for section in self.sections if section.name == name)


# A snapshot: section name → item key → (label, {field label: display value}).
Snapshot = dict[str, dict[str, tuple[str, dict[str, str]]]]

SECTION_TITLES = {
    "trigger_rules": _("Trigger rules"),
    "processing_rules": _("Processing rules"),
    "scenes": _("Scenes"),
    "image_rules": _("Scene image rules"),
    "review_points": _("Review points"),
    "reasons": _("Trigger reasons"),
    "trigger_systems": _("Trigger systems"),
    "transaction_types": _("Transaction types"),
    "transaction_elements": _("Transaction elements"),
    "image_types": _("Image types"),
    "image_combinations": _("Image combinations"),
}


def _yes_no(value: bool) -> str:
    return str(_("yes")) if value else str(_("no"))


def _or_dash(value) -> str:
    return "—" if value in (None, "") else str(value)


def rule_set_snapshot(content: VersionContent) -> Snapshot:
    """The comparable form of one version's content: display strings keyed by item code."""
    snapshot: Snapshot = {name: {} for name in SECTION_TITLES}
    for row in content.rules:
        rule = row.rule
        snapshot["trigger_rules"][rule.code] = (
            rule.name,
            {
                str(_("Name")): rule.name,
                str(_("Reason")): rule.reason.code,
                str(_("Transaction")): rule.transaction_type.code
                if rule.transaction_type
                else str(_("every transaction")),
                str(_("Channels")): ", ".join(s.code for s in rule.trigger_systems.all())
                or str(_("every channel")),
                str(_("Condition")): row.condition_text or str(_("(invalid condition)")),
                str(_("Active")): _yes_no(rule.is_active),
                str(_("Position")): str(rule.position),
            },
        )
    for item in content.processing_rules:
        snapshot["processing_rules"][item.code] = (
            item.reason.code,
            {
                str(_("Reason")): item.reason.code,
                str(_("Outcome")): str(item.get_outcome_display()),
                str(_("Mode")): str(item.get_mode_display()),
                str(_("Level")): str(item.level),
                str(_("Authorizer role")): str(item.get_authorizer_role_display()),
                str(_("Authorizers")): str(item.authorizers_required),
                str(_("Time limit (minutes)")): _or_dash(item.time_limit_minutes),
                str(_("Escalation level")): _or_dash(item.escalation_level),
                str(_("Scene")): item.scene.code if item.scene else str(_("default scene")),
            },
        )
    for scene in content.scenes:
        snapshot["scenes"][scene.code] = (
            scene.name,
            {
                str(_("Name")): scene.name,
                str(_("Classification")): scene.classification,
                str(_("Business type")): scene.business_type,
                str(_("Transaction")): _or_dash(
                    scene.transaction_type.code if scene.transaction_type else None
                ),
                str(_("Channel")): scene.channel.code if scene.channel else str(_("any channel")),
            },
        )
        for rule in scene.image_rules.all():
            image = rule.image_type or rule.image_combination
            snapshot["image_rules"][f"{scene.code} / {image.code}"] = (
                image.name,
                {
                    str(_("Requirement")): str(rule.get_requirement_display()),
                    str(_("Minimum count")): str(rule.min_count),
                },
            )
        for review_rule in scene.review_rules.all():
            for point in review_rule.points.all():
                snapshot["review_points"][f"{scene.code} / {review_rule.code} / {point.code}"] = (
                    point.text,
                    {
                        str(_("Group")): review_rule.name,
                        str(_("Text")): point.text,
                        str(_("Severity")): str(point.get_severity_display()),
                    },
                )
    for reason in content.reasons:
        snapshot["reasons"][reason.code] = (reason.name, {str(_("Name")): reason.name})
    for system in content.trigger_systems:
        snapshot["trigger_systems"][system.code] = (system.name, {str(_("Name")): system.name})
    for tx in content.transaction_types:
        snapshot["transaction_types"][tx.code] = (
            tx.name,
            {str(_("Name")): tx.name, str(_("Business type")): tx.business_type},
        )
        for element in tx.elements.all():
            snapshot["transaction_elements"][f"{tx.code}.{element.name}"] = (
                element.label,
                {
                    str(_("Label")): element.label,
                    str(_("Type")): str(element.get_element_type_display()),
                    str(_("Required")): _yes_no(element.is_required),
                },
            )
    for image_type in content.image_types:
        snapshot["image_types"][image_type.code] = (
            image_type.name,
            {str(_("Name")): image_type.name, str(_("Kind")): str(image_type.get_kind_display())},
        )
    for combination in content.image_combinations:
        snapshot["image_combinations"][combination.code] = (
            combination.name,
            {
                str(_("Name")): combination.name,
                str(_("Image types")): " + ".join(t.code for t in combination.image_types.all()),
            },
        )
    return snapshot


def snapshot_diff(*, base: Snapshot, other: Snapshot) -> tuple[SectionDiff, ...]:
    sections = []
    for name, title in SECTION_TITLES.items():
        before, after = base.get(name, {}), other.get(name, {})
        added, removed, changed = [], [], []
        for key in sorted(after.keys() - before.keys()):
            label, fields = after[key]
            added.append(
                ItemChange(
                    key, label, ADDED, tuple(FieldChange(f, "", v) for f, v in fields.items())
                )
            )
        for key in sorted(before.keys() - after.keys()):
            label, fields = before[key]
            removed.append(
                ItemChange(
                    key, label, REMOVED, tuple(FieldChange(f, v, "") for f, v in fields.items())
                )
            )
        for key in sorted(before.keys() & after.keys()):
            (_label, old), (label, new) = before[key], after[key]
            changes = tuple(
                FieldChange(field, old.get(field, ""), value)
                for field, value in new.items()
                if old.get(field, "") != value
            )
            if changes:
                changed.append(ItemChange(key, label, CHANGED, changes))
        sections.append(SectionDiff(name, str(title), tuple(added), tuple(removed), tuple(changed)))
    return tuple(sections)


def rule_set_diff(*, base: RuleSetVersion, other: RuleSetVersion) -> RuleSetDiff:
    """What changes from `base` to `other`: per section, the items added, removed and changed
    (matched by code), each change with the value before and after."""
    return RuleSetDiff(
        base_number=base.number,
        other_number=other.number,
        sections=snapshot_diff(
            base=rule_set_snapshot(rule_set_version_content(version=base)),
            other=rule_set_snapshot(rule_set_version_content(version=other)),
        ),
    )
