"""Comparing two rule-set versions: what was added, removed or changed, section by section,
with trigger conditions in their text form so an administrator can read them side by side."""

from __future__ import annotations

from dataclasses import dataclass

from ..item_kinds import COMPARED_KINDS
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


def rule_set_snapshot(content: VersionContent) -> Snapshot:
    """The comparable form of one version's content: display strings keyed by natural key,
    section by section as the item kinds declare them."""
    snapshot: Snapshot = {}
    for kind in COMPARED_KINDS:
        fields = kind.compared_fields
        snapshot[kind.name] = {
            kind.natural_key(item): (
                kind.label(item),
                {kind.field_label(f): kind.field_read(item, f) for f in fields},
            )
            for item in kind.listing(content)
        }
    return snapshot


def snapshot_diff(*, base: Snapshot, other: Snapshot) -> tuple[SectionDiff, ...]:
    sections = []
    for kind in COMPARED_KINDS:
        name, title = kind.name, kind.section_title
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
