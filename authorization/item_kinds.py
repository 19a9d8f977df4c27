"""The kinds of item a rule-set version holds, each declared once.

A declaration names the model, the item it hangs from (its parent), how an item is told apart
from the others of its version (the natural key), and its fields in form order: each field is
edited on the draft pages, compared between versions and listed in the admin unless it says
otherwise. From these declarations come the draft copy (services/lifecycle.py), the version
comparison (services/diff.py), the draft item pages (views/items.py), their forms (forms.py)
and the admin (admin.py). A new column on an item is one `Field` line here plus its migration.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import models
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .models import (
    ImageCombination,
    ImageType,
    ProcessingRule,
    ReviewPoint,
    Scene,
    SceneImageRule,
    SceneReviewRule,
    TransactionElement,
    TransactionType,
    TriggerReason,
    TriggerRule,
    TriggerSystem,
)

DASH = "—"


@dataclass(frozen=True, slots=True)
class Field:
    """One field of an item kind.

    `label` names it in a comparison (default: the model field's verbose name); `form_label`
    in the form, when it says more than that. `empty` is how an empty value reads in a
    comparison, `empty_choice` the "none" choice of a foreign key in the form. `read` replaces
    the standard reading (choices by their label, yes/no, a related item by its code). A text
    field (`text=True`) is edited in every catalogue language."""

    name: str
    label: str | Promise | None = None
    form_label: str | Promise | None = None
    empty: str | Promise = ""
    empty_choice: str | Promise | None = None
    read: Callable[[models.Model], str] | None = None
    join: str = ", "  # between the codes of a many-to-many field
    text: bool = False
    form: bool = True
    compared: bool = True
    listed: bool = True  # a column of the admin's list


@dataclass(frozen=True)
class ItemKind:
    name: str  # the section of a comparison
    slug: str  # in the draft item pages' addresses
    model: type[models.Model]
    title: str | Promise  # one item, in a sentence: "scene"
    section_title: str | Promise  # the comparison's section: "Scenes"
    anchor: str  # the section of the version page that shows the kind
    parent: str  # the foreign key to the item (or version) it belongs to
    natural_key: Callable[[models.Model], str]
    label: Callable[[models.Model], str]
    fields: tuple[Field, ...]
    # The items of one version's content (page_selectors.VersionContent), as loaded there.
    listing: Callable[[object], Iterable[models.Model]]
    prefill: str | None = None  # a form field filled from ?<prefill>=<pk>
    ordering: tuple[str, ...] = ("code",)  # as a choice in another kind's form
    choice_related: tuple[str, ...] = ()
    # The compared fields' order in a comparison, when it is not the form's.
    compare_order: tuple[str, ...] = ()
    version_path: str = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "version_path", _version_path(self.model, self.parent))

    @property
    def compared_fields(self) -> tuple[Field, ...]:
        compared = [f for f in self.fields if f.compared]
        if self.compare_order:  # fields it does not name come last, in form order
            order = {name: index for index, name in enumerate(self.compare_order)}
            compared.sort(key=lambda f: order.get(f.name, len(order)))
        return tuple(compared)

    @property
    def m2m(self) -> tuple[str, ...]:
        """The many-to-many fields of the form (set after the item is saved)."""
        names = {f.name for f in self.model._meta.many_to_many}
        return tuple(f.name for f in self.fields if f.form and f.name in names)

    def items_of(self, version) -> models.QuerySet:
        """The items of `version`, ordered as choices."""
        return (
            self.model.objects.filter(**{self.version_path: version})
            .select_related(*self.choice_related)
            .order_by(*self.ordering)
        )

    def field_label(self, item_field: Field) -> str:
        if item_field.label is not None:
            return str(item_field.label)
        return capfirst(self.model._meta.get_field(item_field.name).verbose_name)

    def field_read(self, item: models.Model, item_field: Field) -> str:
        """The field's value as a comparison shows it."""
        if item_field.read is not None:
            return str(item_field.read(item))
        model_field = self.model._meta.get_field(item_field.name)
        if model_field.many_to_many:
            codes = [related.code for related in getattr(item, item_field.name).all()]
            return item_field.join.join(codes) or str(item_field.empty)
        value = getattr(item, item_field.name)
        if value is None or value == "":
            return str(item_field.empty)
        if model_field.is_relation:
            return value.code
        if model_field.choices:
            return str(getattr(item, f"get_{item_field.name}_display")())
        if isinstance(model_field, models.BooleanField):
            return str(_("yes")) if value else str(_("no"))
        return str(value)


def _version_path(model: type[models.Model], parent: str) -> str:
    path = [parent]
    while parent != "version":
        model = model._meta.get_field(parent).related_model
        parent = next(k.parent for k in _DECLARED if k.model is model)
        path.append(parent)
    return "__".join(path)


_DECLARED: list[ItemKind] = []


def _declare(**kwargs) -> ItemKind:
    kind = ItemKind(**kwargs)
    _DECLARED.append(kind)
    return kind


def _code(item) -> str:
    return item.code


def _name(item) -> str:
    return item.name


def _image(rule):
    return rule.image_type or rule.image_combination


def _rule_condition(rule) -> str:
    return getattr(rule, "condition_text", "") or str(_("(invalid condition)"))


def _rules_listed(content) -> list:
    """The trigger rules of the content, each with its condition in its text form."""
    for row in content.rules:
        row.rule.condition_text = row.condition_text
    return [row.rule for row in content.rules]


# In copy order: an item's parent and the items it names come before it.

TRIGGER_SYSTEMS = _declare(
    name="trigger_systems",
    slug="systems",
    model=TriggerSystem,
    title=_("trigger system"),
    section_title=_("Trigger systems"),
    anchor="reasons",
    parent="version",
    natural_key=_code,
    label=_name,
    fields=(Field("code", compared=False), Field("name", _("Name"), text=True)),
    listing=lambda content: content.trigger_systems,
)
REASONS = _declare(
    name="reasons",
    slug="reasons",
    model=TriggerReason,
    title=_("trigger reason"),
    section_title=_("Trigger reasons"),
    anchor="reasons",
    parent="version",
    natural_key=_code,
    label=_name,
    fields=(Field("code", compared=False), Field("name", _("Name"), text=True)),
    listing=lambda content: content.reasons,
)
TRANSACTION_TYPES = _declare(
    name="transaction_types",
    slug="transactions",
    model=TransactionType,
    title=_("transaction type"),
    section_title=_("Transaction types"),
    anchor="transactions",
    parent="version",
    natural_key=_code,
    label=_name,
    fields=(
        Field("code", compared=False),
        Field("name", _("Name"), text=True),
        Field("business_type", _("Business type")),
    ),
    listing=lambda content: content.transaction_types,
)
TRANSACTION_ELEMENTS = _declare(
    name="transaction_elements",
    slug="elements",
    model=TransactionElement,
    title=_("transaction element"),
    section_title=_("Transaction elements"),
    anchor="transactions",
    parent="transaction_type",
    natural_key=lambda element: f"{element.transaction_type.code}.{element.name}",
    label=lambda element: element.label,
    fields=(
        Field("transaction_type", form_label=_("Transaction"), compared=False),
        Field("name", compared=False),
        Field("label", _("Label"), text=True),
        Field("element_type", _("Type")),
        Field("is_required", _("Required"), form_label=_("Required")),
    ),
    listing=lambda content: [el for tx in content.transaction_types for el in tx.elements.all()],
    prefill="transaction_type",
    ordering=("transaction_type__code", "name"),
)
IMAGE_TYPES = _declare(
    name="image_types",
    slug="image-types",
    model=ImageType,
    title=_("image type"),
    section_title=_("Image types"),
    anchor="images",
    parent="version",
    natural_key=_code,
    label=_name,
    fields=(
        Field("code", compared=False),
        Field("name", _("Name"), text=True),
        Field("kind", _("Kind")),
    ),
    listing=lambda content: content.image_types,
)
IMAGE_COMBINATIONS = _declare(
    name="image_combinations",
    slug="image-combinations",
    model=ImageCombination,
    title=_("image combination"),
    section_title=_("Image combinations"),
    anchor="images",
    parent="version",
    natural_key=_code,
    label=_name,
    fields=(
        Field("code", compared=False),
        Field("name", _("Name"), text=True),
        Field("image_types", _("Image types"), join=" + ", listed=False),
    ),
    listing=lambda content: content.image_combinations,
)
SCENES = _declare(
    name="scenes",
    slug="scenes",
    model=Scene,
    title=_("scene"),
    section_title=_("Scenes"),
    anchor="scenes",
    parent="version",
    natural_key=_code,
    label=_name,
    fields=(
        Field("code", compared=False),
        Field("name", _("Name"), text=True),
        Field("classification", _("Classification")),
        Field("business_type", _("Business type")),
        Field("transaction_type", _("Transaction"), form_label=_("Transaction"), empty=DASH),
        Field(
            "channel",
            _("Channel"),
            empty=_("any channel"),
            empty_choice=_("— any channel —"),
        ),
    ),
    listing=lambda content: content.scenes,
)
SCENE_IMAGE_RULES = _declare(
    name="image_rules",
    slug="image-rules",
    model=SceneImageRule,
    title=_("scene image rule"),
    section_title=_("Scene image rules"),
    anchor="scenes",
    parent="scene",
    natural_key=lambda rule: f"{rule.scene.code} / {_image(rule).code}",
    label=lambda rule: _image(rule).name,
    fields=(
        Field("scene", compared=False),
        Field("image_type", compared=False),
        Field("image_combination", compared=False),
        Field("requirement", _("Requirement")),
        Field("min_count", _("Minimum count"), form_label=_("Minimum count")),
    ),
    listing=lambda content: [rule for scene in content.scenes for rule in scene.image_rules.all()],
    prefill="scene",
    ordering=("scene__code", "id"),
)
SCENE_REVIEW_RULES = _declare(
    name="review_rules",
    slug="review-rules",
    model=SceneReviewRule,
    title=_("review group"),
    section_title=_("Review groups"),
    anchor="scenes",
    parent="scene",
    natural_key=lambda group: f"{group.scene.code} / {group.code}",
    label=_name,
    # Compared through their points (each point names its group).
    fields=(
        Field("scene", compared=False),
        Field("code", compared=False),
        Field("name", _("Name"), text=True, compared=False),
        Field("position", compared=False),
    ),
    listing=lambda content: [],
    prefill="scene",
    ordering=("scene__code", "position", "id"),
    choice_related=("scene",),
)
REVIEW_POINTS = _declare(
    name="review_points",
    slug="review-points",
    model=ReviewPoint,
    title=_("review point"),
    section_title=_("Review points"),
    anchor="scenes",
    parent="review_rule",
    natural_key=lambda point: (
        f"{point.review_rule.scene.code} / {point.review_rule.code} / {point.code}"
    ),
    label=lambda point: point.text,
    fields=(
        Field(
            "review_rule",
            _("Group"),
            form_label=_("Group"),
            read=lambda point: point.review_rule.name,
        ),
        Field("code", compared=False),
        Field("text", _("Text"), text=True),
        Field("severity", _("Severity")),
        Field("position", compared=False),
    ),
    listing=lambda content: [
        point
        for scene in content.scenes
        for group in scene.review_rules.all()
        for point in group.points.all()
    ],
    prefill="review_rule",
    ordering=("review_rule__scene__code", "review_rule__position", "position", "id"),
)
TRIGGER_RULES = _declare(
    name="trigger_rules",
    slug="rules",
    model=TriggerRule,
    title=_("trigger rule"),
    section_title=_("Trigger rules"),
    anchor="trigger-rules",
    parent="version",
    natural_key=_code,
    label=_name,
    fields=(
        Field("code", compared=False),
        Field("name", _("Name"), text=True),
        Field("reason", _("Reason")),
        Field(
            "transaction_type",
            _("Transaction"),
            form_label=_("Transaction"),
            empty=_("every transaction"),
            empty_choice=_("— every transaction —"),
        ),
        Field(
            "trigger_systems",
            _("Channels"),
            form_label=_("Channels (none ticked: every channel)"),
            empty=_("every channel"),
            listed=False,
        ),
        Field("position", _("Position"), listed=False),
        Field("is_active", _("Active"), form_label=_("Active")),
        Field("condition", _("Condition"), read=_rule_condition, listed=False),
    ),
    listing=_rules_listed,
    ordering=("position", "code"),
    compare_order=(
        "name",
        "reason",
        "transaction_type",
        "trigger_systems",
        "condition",
        "is_active",
        "position",
    ),
)
PROCESSING_RULES = _declare(
    name="processing_rules",
    slug="processing",
    model=ProcessingRule,
    title=_("processing rule"),
    section_title=_("Processing rules"),
    anchor="processing-rules",
    parent="version",
    natural_key=_code,
    label=lambda rule: rule.reason.code,
    fields=(
        Field("code", compared=False),
        Field("reason", _("Reason")),
        Field("outcome", _("Outcome")),
        Field("mode", _("Mode")),
        Field("level", _("Level")),
        Field("authorizer_role", _("Authorizer role"), listed=False),
        Field(
            "authorizers_required",
            _("Authorizers"),
            form_label=_("Authorizers (1 = single, 2 = dual)"),
        ),
        Field(
            "time_limit_minutes",
            _("Time limit (minutes)"),
            form_label=_("Time limit (minutes)"),
            empty=DASH,
            listed=False,
        ),
        Field("escalation_level", _("Escalation level"), empty=DASH, listed=False),
        Field(
            "scene",
            _("Scene"),
            empty=_("default scene"),
            empty_choice=_("— the transaction's default scene —"),
            listed=False,
        ),
    ),
    listing=lambda content: content.processing_rules,
)

# Every kind, in copy order.
ITEM_KINDS: tuple[ItemKind, ...] = tuple(_DECLARED)

# The sections of a comparison, in the order a reader looks at them (rules first).
COMPARED_KINDS: tuple[ItemKind, ...] = (
    TRIGGER_RULES,
    PROCESSING_RULES,
    SCENES,
    SCENE_IMAGE_RULES,
    REVIEW_POINTS,
    REASONS,
    TRIGGER_SYSTEMS,
    TRANSACTION_TYPES,
    TRANSACTION_ELEMENTS,
    IMAGE_TYPES,
    IMAGE_COMBINATIONS,
)

KINDS_BY_SLUG: dict[str, ItemKind] = {kind.slug: kind for kind in ITEM_KINDS}
KINDS_BY_MODEL: dict[type[models.Model], ItemKind] = {kind.model: kind for kind in ITEM_KINDS}
