"""The parameter catalogue: adding and editing parameter definitions (catalogue rows, no
migration)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from bankcore.catalogues import translations
from products.models import (
    DataType,
    ParameterDefinition,
    PrincipleLevel,
    ProductLine,
    ProductParameter,
    TemplateParameter,
    Zone,
)
from products.parameters import ORDERED_TYPES, ParameterValueInvalid, bound_clean, compare
from products.services.errors import ParameterDefinitionInUse, ParameterDefinitionInvalid


def parameter_definition_create(
    *,
    code: str,
    label: str,
    zone: str,
    data_type: str,
    principle_level: str,
    choices: list | None = None,
    min_value: str = "",
    max_value: str = "",
    help_text: str = "",
    line_codes: list[str] | None = None,
    sort_order: int = 100,
    label_zh_hans: str = "",
    help_text_zh_hans: str = "",
) -> ParameterDefinition:
    """Add a parameter to a zone (no migration: a catalogue row); `label` and `help_text` in
    English, the `_zh_hans` ones in Chinese. Raises ParameterDefinitionInvalid."""
    errors: dict[str, list[str]] = {}
    if zone not in Zone.values:
        errors["zone"] = [_("Choose one of %(zones)s.") % {"zones": ", ".join(Zone.values)}]
    if data_type not in DataType.values:
        errors["data_type"] = [
            _("Choose one of %(types)s.") % {"types": ", ".join(DataType.values)}
        ]
    if principle_level not in PrincipleLevel.values:
        errors["principle_level"] = [
            _("Choose one of %(levels)s.") % {"levels": ", ".join(PrincipleLevel.values)}
        ]
    normalised_choices = _choices_normalise(choices, errors)
    if data_type in (DataType.CHOICE, DataType.CHOICE_LIST) and not normalised_choices:
        errors["choices"] = [_("Choice parameters need at least one choice.")]
    if ParameterDefinition.objects.filter(code=code).exists():
        errors["code"] = [_("A parameter with this code already exists.")]
    lines = list(ProductLine.objects.filter(code__in=line_codes or []))
    if line_codes and len(lines) != len(set(line_codes)):
        errors["line_codes"] = [_("Unknown product line.")]
    if errors:
        raise ParameterDefinitionInvalid(fields=errors)
    definition = ParameterDefinition(
        code=code,
        **translations(ParameterDefinition, "label", label, label_zh_hans),
        zone=zone,
        data_type=data_type,
        principle_level=principle_level,
        choices=normalised_choices,
        **translations(ParameterDefinition, "help_text", help_text, help_text_zh_hans),
        sort_order=sort_order,
    )
    for key, raw in (("min_value", min_value), ("max_value", max_value)):
        try:
            setattr(definition, key, bound_clean(definition=definition, raw=raw))
        except ParameterValueInvalid as exc:
            errors[key] = exc.fields[code]
    if (
        not errors
        and definition.data_type in ORDERED_TYPES
        and definition.min_value
        and definition.max_value
    ) and compare(definition, definition.min_value, definition.max_value) in (None, 1):
        errors["max_value"] = [_("The maximum must not be below the minimum.")]
    if errors:
        raise ParameterDefinitionInvalid(fields=errors)
    with transaction.atomic():
        definition.save()
        definition.lines.set(lines)
    return definition


def _choices_normalise(choices, errors: dict) -> list[dict]:
    normalised = []
    for choice in choices or []:
        if isinstance(choice, dict) and choice.get("code"):
            normalised.append(
                {"code": str(choice["code"]), "label": str(choice.get("label") or choice["code"])}
            )
        elif isinstance(choice, str) and choice.strip():
            normalised.append({"code": choice.strip(), "label": choice.strip()})
        else:
            errors["choices"] = [_("Each choice needs a code.")]
    codes = [choice["code"] for choice in normalised]
    if len(set(codes)) != len(codes):
        errors["choices"] = [_("A choice code is listed twice.")]
    return normalised


def parameter_definition_in_use(*, definition: ParameterDefinition) -> bool:
    """True when a product version or a template sets the parameter."""
    return (
        ProductParameter.objects.filter(definition=definition).exists()
        or TemplateParameter.objects.filter(definition=definition).exists()
    )


def parameter_definition_update(
    *,
    definition: ParameterDefinition,
    label: str | None = None,
    help_text: str | None = None,
    sort_order: int | None = None,
    is_active: bool | None = None,
    min_value: str | None = None,
    max_value: str | None = None,
    choices: list | None = None,
    label_zh_hans: str | None = None,
    help_text_zh_hans: str | None = None,
) -> ParameterDefinition:
    """Edit a catalogue row. Label, help text, order and the active flag change at any time;
    bounds and choices only while no product or template uses the parameter (values already
    checked against them would silently stop fitting). Raises ParameterDefinitionInvalid or
    ParameterDefinitionInUse (409). Code, zone, data type and principle level never change:
    add a new parameter instead."""
    with transaction.atomic():
        definition = ParameterDefinition.objects.select_for_update().get(pk=definition.pk)
        errors: dict[str, list[str]] = {}
        if label is not None:
            if not label.strip():
                errors["label"] = [_("A parameter needs a label.")]
            definition.label_en = label.strip()  # label and help text: English
        if help_text is not None:
            definition.help_text_en = help_text
        if label_zh_hans is not None:
            definition.label_zh_hans = label_zh_hans.strip()
        if help_text_zh_hans is not None:
            definition.help_text_zh_hans = help_text_zh_hans
        if sort_order is not None:
            definition.sort_order = sort_order
        if is_active is not None:
            definition.is_active = is_active
        shape_changes = {}
        for key, raw in (("min_value", min_value), ("max_value", max_value)):
            if raw is None:
                continue
            try:
                shape_changes[key] = bound_clean(definition=definition, raw=raw)
            except ParameterValueInvalid as exc:
                errors[key] = exc.fields[definition.code]
        if choices is not None:
            normalised = _choices_normalise(choices, errors)
            if definition.data_type in (DataType.CHOICE, DataType.CHOICE_LIST) and not normalised:
                errors["choices"] = [_("Choice parameters need at least one choice.")]
            elif normalised and definition.data_type not in (
                DataType.CHOICE,
                DataType.CHOICE_LIST,
            ):
                errors["choices"] = [_("Only choice parameters take choices.")]
            shape_changes["choices"] = normalised
        changed_shape = {
            key: value for key, value in shape_changes.items() if getattr(definition, key) != value
        }
        for key, value in changed_shape.items():
            setattr(definition, key, value)
        if (
            "min_value" not in errors
            and "max_value" not in errors
            and definition.min_value
            and definition.max_value
            and compare(definition, definition.min_value, definition.max_value) in (None, 1)
        ):
            errors["max_value"] = [_("The maximum must not be below the minimum.")]
        if errors:
            raise ParameterDefinitionInvalid(fields=errors)
        if changed_shape and parameter_definition_in_use(definition=definition):
            raise ParameterDefinitionInUse(
                fields={
                    key: [ParameterDefinitionInUse.default_message] for key in sorted(changed_shape)
                }
            )
        definition.save()
    return definition
