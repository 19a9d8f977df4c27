"""Model lifecycle: draft (a full copy), edit, publish, roll back. Checking a version is in
check.py, simulating one in simulation.py."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bankcore.errors import Conflict, DomainError
from bankcore.four_eyes import ProposalStatus
from bankcore.models import User

from ..item_kinds import ITEM_KINDS
from ..models import RuleSetPublication, RuleSetStatus, RuleSetVersion, TriggerRule
from ..selectors import rule_set_cache_clear
from .check import trigger_rule_condition_validate


class DraftAlreadyExists(Conflict):
    code = "draft_exists"
    default_message = gettext_lazy("A draft version already exists; edit it or publish it first.")


class VersionNotEditable(Conflict):
    code = "version_not_editable"
    default_message = gettext_lazy(
        "Only the draft version can be edited; published versions stay as they were."
    )


class VersionAwaitingApproval(Conflict):
    code = "version_awaiting_approval"
    default_message = gettext_lazy(
        "The draft is awaiting approval of its publication; withdraw the proposal to edit it."
    )


# Where each kind of rule-set item finds its version (a lookup path from the item). Draft
# writes lock that version's row; the PostgreSQL trigger (migration 0007) follows the same
# paths to refuse any change to an item of a published version.
ITEM_VERSION_PATHS: dict[type, str] = {kind.model: kind.version_path for kind in ITEM_KINDS}


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


def _copy_content(*, source: RuleSetVersion, target: RuleSetVersion) -> None:
    """Copy every item of `source` into `target`, kind by kind in declaration order (an item's
    parent and the items it names are copied before it): every column as stored (both
    catalogue languages too), foreign keys and many-to-many links pointing at the copies."""
    copies: dict[type, dict[int, int]] = {RuleSetVersion: {source.pk: target.pk}}
    for kind in ITEM_KINDS:
        model = kind.model
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        rows = list(
            model.objects.filter(**{kind.version_path: source})
            .order_by("id")
            .values("id", *(f.attname for f in fields))
        )
        objects = []
        for row in rows:
            values = {}
            for f in fields:
                value = row[f.attname]
                if f.is_relation and value is not None:
                    value = copies[f.related_model][value]
                values[f.attname] = value
            objects.append(model(**values))
        created = model.objects.bulk_create(objects)
        copies[model] = {row["id"]: copy.pk for row, copy in zip(rows, created, strict=True)}
        for m2m in model._meta.many_to_many:
            through = m2m.remote_field.through
            own, other = m2m.m2m_column_name(), m2m.m2m_reverse_name()
            links = through.objects.filter(**{f"{own}__in": list(copies[model])}).order_by("id")
            through.objects.bulk_create(
                through(
                    **{
                        own: copies[model][link[own]],
                        other: copies[m2m.related_model][link[other]],
                    }
                )
                for link in links.values(own, other)
            )


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
