"""Writes of the products app: the product factory's transactions and account opening.

Every parameter value goes through `products.parameters.parameter_value_clean`, every
product or template setting through `setting_clean`, so one place says what is valid.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bankcore.catalogues import translations
from bankcore.errors import Conflict, DomainError, NotFound
from bankcore.four_eyes import ProposalStatus, proposal_decider_check
from bankcore.models import User
from bankcore.money import CURRENCY_MINOR_UNITS, InvalidMoney, parse_amount
from bankcore.ports import (
    NOT_EVALUATED,
    CustomerNotFound,
    TransactionDecision,
    account_opening_evaluate,
    customer_summary,
)
from products.choice_labels import choice_label
from products.codes import (
    MAX_PRODUCT_SERIAL,
    account_no_build,
    product_code_build,
    product_code_prefix,
)
from products.models import (
    Account,
    AccountStatus,
    BusinessNature,
    CodeCounter,
    CustomerGroup,
    DataType,
    ParameterDefinition,
    PrincipleLevel,
    Product,
    ProductComponent,
    ProductEvent,
    ProductLine,
    ProductModel,
    ProductParameter,
    ProductProposal,
    ProductStatus,
    ProductTemplate,
    ProductVersion,
    TemplateParameter,
    Zone,
)
from products.opening import Violation, classify_overrides, usage_control_violations
from products.parameters import (
    ORDERED_TYPES,
    ParameterValueInvalid,
    bound_clean,
    bounds_text,
    compare,
    display,
    parameter_value_clean,
    within,
)
from products.selectors import ProductNotFound, product_settings

SETTING_KEYS = (
    "value",
    "principle_level",
    "free_min",
    "free_max",
    "negotiable_min",
    "negotiable_max",
)
BOUND_KEYS = ("free_min", "free_max", "negotiable_min", "negotiable_max")


class ParameterDefinitionInvalid(DomainError):
    code = "parameter_definition_invalid"
    default_message = gettext_lazy("The parameter definition is not valid.")


class ProductInvalid(DomainError):
    code = "product_invalid"
    default_message = gettext_lazy("The product is not valid.")


class ProductStateConflict(Conflict):
    code = "product_state_conflict"
    default_message = gettext_lazy("The product's status does not allow this.")


class SystemPrincipleChange(Conflict):
    code = "system_principle_change"
    default_message = gettext_lazy(
        "System principle values cannot change on a product that has accounts."
    )


class ProductNotActive(DomainError):
    code = "product_not_active"
    default_message = gettext_lazy("Accounts open on active products only.")


class AccountOpeningRefused(DomainError):
    """The opening broke one or more of the product's rules. `code` is the first broken
    rule's code; `fields` names every field with its rule's message."""

    code = "account_opening_refused"
    default_message = gettext_lazy("The product does not allow this account.")


class AccountStateConflict(Conflict):
    code = "account_state_conflict"
    default_message = gettext_lazy("The account's status does not allow this.")


# ---------------------------------------------------------------- parameter catalogue


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


class ParameterDefinitionInUse(Conflict):
    code = "parameter_definition_in_use"
    default_message = gettext_lazy(
        "Products or templates use this parameter: its type, bounds and choices stay."
    )


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


# ---------------------------------------------------------------- settings


def _normalise_change(change) -> dict:
    """A setting change is a dict of SETTING_KEYS, or a bare value."""
    if isinstance(change, dict):
        unknown = set(change) - set(SETTING_KEYS)
        if unknown:
            raise ProductInvalid(
                _("Unknown setting keys: %(keys)s.") % {"keys": ", ".join(sorted(unknown))}
            )
        return change
    return {"value": change}


def setting_clean(*, definition: ParameterDefinition, current: dict | None, change) -> dict:
    """Check one parameter setting of a product or template against its definition and
    return the clean setting (SETTING_KEYS). `current` is the setting being changed (or
    None for a new one). Raises ParameterValueInvalid naming the parameter."""
    change = _normalise_change(change)
    merged = dict(current or {})
    merged.update(change)
    if merged.get("principle_level") in (PrincipleLevel.SYSTEM, PrincipleLevel.PRODUCT) and not any(
        key in change for key in BOUND_KEYS
    ):
        # A parameter made principle loses the bounds it had as a default.
        merged.update(dict.fromkeys(BOUND_KEYS, ""))
    problems: list[str] = []

    level = merged.get("principle_level") or definition.principle_level
    if definition.principle_level == PrincipleLevel.SYSTEM:
        if level != PrincipleLevel.SYSTEM:
            problems.append(
                _("a system principle parameter stays system principle in every product")
            )
        level = PrincipleLevel.SYSTEM
    elif level not in (PrincipleLevel.PRODUCT, PrincipleLevel.DEFAULT):
        problems.append(_("choose product principle or default"))
    clean = {"principle_level": level}

    try:
        clean["value"] = parameter_value_clean(definition=definition, raw=merged.get("value"))
    except ParameterValueInvalid as exc:
        problems.extend(exc.fields[definition.code])
        clean["value"] = ""

    for key in BOUND_KEYS:
        try:
            clean[key] = bound_clean(definition=definition, raw=merged.get(key))
        except ParameterValueInvalid as exc:
            problems.extend(f"{key}: {message}" for message in exc.fields[definition.code])
            clean[key] = ""
    has_bounds = any(clean[key] for key in BOUND_KEYS)
    if has_bounds and level != PrincipleLevel.DEFAULT:
        problems.append(_("bounds apply to default parameters only"))
    if not problems and has_bounds:
        for key in BOUND_KEYS:
            bound = clean[key]
            if bound and not within(definition, bound, definition.min_value, definition.max_value):
                problems.append(
                    _("%(key)s %(bound)s lies outside the parameter's range (%(range)s)")
                    % {
                        "key": key,
                        "bound": display(definition, bound),
                        "range": bounds_text(
                            definition, definition.min_value, definition.max_value
                        ),
                    }
                )
        value = clean["value"]
        if value and not within(definition, value, clean["free_min"], clean["free_max"]):
            problems.append(_("the product's value must lie within its free bounds"))
        if (
            clean["negotiable_min"]
            and clean["free_min"]
            and compare(definition, clean["negotiable_min"], clean["free_min"]) in (None, 1)
        ):
            problems.append(_("the negotiable range must be wider than the free bounds"))
        if (
            clean["negotiable_max"]
            and clean["free_max"]
            and compare(definition, clean["negotiable_max"], clean["free_max"]) in (None, -1)
        ):
            problems.append(_("the negotiable range must be wider than the free bounds"))
        for low, high in (("free_min", "free_max"), ("negotiable_min", "negotiable_max")):
            if (
                clean[low]
                and clean[high]
                and compare(definition, clean[low], clean[high]) in (None, 1)
            ):
                problems.append(_("%(low)s must not exceed %(high)s") % {"low": low, "high": high})
    if problems:
        message = "; ".join(dict.fromkeys(problems))
        raise ParameterValueInvalid(
            _("%(label)s: %(message)s") % {"label": definition.label, "message": message},
            fields={definition.code: list(dict.fromkeys(problems))},
        )
    return clean


def _setting_dict(row) -> dict:
    return {key: getattr(row, key) for key in SETTING_KEYS}


def _definitions_by_code(codes) -> dict[str, ParameterDefinition]:
    return {d.code: d for d in ParameterDefinition.objects.filter(code__in=list(codes))}


def _settings_apply(
    *,
    rows: dict,
    changes: dict,
    line: ProductLine,
    field_prefix: str = "parameters",
    respect_locks: bool = True,
) -> tuple[dict, dict]:
    """Apply `changes` (code → setting change) to `rows` (code → existing row or dict) and
    return (clean settings by code, errors by field). Unknown or foreign parameters are errors."""
    definitions = {code: row.definition for code, row in rows.items() if hasattr(row, "definition")}
    missing = set(changes) - set(definitions)
    errors: dict[str, list[str]] = {}
    clean: dict[str, dict] = {}
    line_ids_by_definition = {}
    if missing:
        for definition in ParameterDefinition.objects.filter(code__in=missing).prefetch_related(
            "lines"
        ):
            definitions[definition.code] = definition
            line_ids_by_definition[definition.code] = {item.pk for item in definition.lines.all()}
    for code, change in changes.items():
        field = f"{field_prefix}.{code}"
        definition = definitions.get(code)
        if definition is None or not definition.is_active:
            errors[field] = [_("No active parameter has the code %(code)s.") % {"code": code}]
            continue
        if (
            code in line_ids_by_definition
            and line_ids_by_definition[code]
            and line.pk not in line_ids_by_definition[code]
        ):
            errors[field] = [
                _("%(code)s is not a parameter of the %(line)s line.")
                % {"code": code, "line": line.name}
            ]
            continue
        row = rows.get(code)
        current = _setting_dict(row) if row is not None else None
        try:
            candidate = setting_clean(definition=definition, current=current, change=change)
        except ParameterValueInvalid as exc:
            errors[field] = exc.fields[code]
            continue
        if (
            respect_locks
            and row is not None
            and getattr(row, "is_locked", False)
            and candidate != current
        ):
            errors[field] = [
                _("%(label)s is locked by the product template.") % {"label": definition.label}
            ]
            continue
        clean[code] = candidate
    return clean, errors


# ---------------------------------------------------------------- templates


def product_template_create(
    *,
    code: str,
    name: str,
    line_code: str,
    customer_group: str,
    business_nature: str,
    description: str = "",
    parameters: dict,
    locked: list[str] | tuple[str, ...] = (),
) -> ProductTemplate:
    """A line's template: preset values; `locked` parameters cannot change in its products."""
    line = ProductLine.objects.filter(code=line_code).first()
    if line is None:
        raise ProductInvalid(fields={"line": [_("Unknown product line.")]})
    if ProductTemplate.objects.filter(code=code).exists():
        raise ProductInvalid(fields={"code": [_("A template with this code already exists.")]})
    clean, errors = _settings_apply(rows={}, changes=parameters, line=line)
    unknown_locks = set(locked) - set(clean)
    if unknown_locks:
        errors["locked"] = [
            _("Lock only parameters the template sets: %(codes)s.")
            % {"codes": ", ".join(sorted(unknown_locks))}
        ]
    if errors:
        raise ProductInvalid(_("Some parameters are not valid."), fields=errors)
    definitions = _definitions_by_code(clean)
    with transaction.atomic():
        template = ProductTemplate.objects.create(
            code=code,
            **translations(ProductTemplate, "name", name, ""),
            line=line,
            customer_group=customer_group,
            business_nature=business_nature,
            **translations(ProductTemplate, "description", description, ""),
        )
        TemplateParameter.objects.bulk_create(
            TemplateParameter(
                template=template, definition=definitions[c], is_locked=c in locked, **setting
            )
            for c, setting in clean.items()
        )
    return template


def product_template_update(
    *,
    template: ProductTemplate,
    name: str | None = None,
    description: str | None = None,
    is_active: bool | None = None,
    parameters: dict | None = None,
    locked: list[str] | tuple[str, ...] | None = None,
) -> ProductTemplate:
    """Change a template's presets (values, principle levels, bounds) and which of them are
    locked. Products already made from it keep their own values. Raises ProductInvalid."""
    with transaction.atomic():
        template = (
            ProductTemplate.objects.select_for_update().select_related("line").get(pk=template.pk)
        )
        rows = {
            row.definition.code: row for row in template.parameters.select_related("definition")
        }
        clean, errors = _settings_apply(
            rows=rows, changes=parameters or {}, line=template.line, respect_locks=False
        )
        known = set(rows) | set(clean)
        if locked is not None and set(locked) - known:
            errors["locked"] = [
                _("Lock only parameters the template sets: %(codes)s.")
                % {"codes": ", ".join(sorted(set(locked) - known))}
            ]
        if name is not None and not name.strip():
            errors["name"] = [_("A template needs a name.")]
        if errors:
            raise ProductInvalid(_("Some parameters are not valid."), fields=errors)
        if name is not None:
            template.name_en = name.strip()  # English: the Chinese is kept (or edited apart)
        if description is not None:
            template.description_en = description
        if is_active is not None:
            template.is_active = is_active
        template.save(
            update_fields=["name", "name_en", "description", "description_en", "is_active"]
        )
        definitions = _definitions_by_code(set(clean) - set(rows))
        for code, setting in clean.items():
            if code in rows:
                if _setting_dict(rows[code]) != setting:
                    TemplateParameter.objects.filter(pk=rows[code].pk).update(**setting)
            else:
                TemplateParameter.objects.create(
                    template=template, definition=definitions[code], **setting
                )
        if locked is not None:
            TemplateParameter.objects.filter(template=template).update(is_locked=False)
            TemplateParameter.objects.filter(
                template=template, definition__code__in=list(locked)
            ).update(is_locked=True)
    return template


# ---------------------------------------------------------------- products


def _product_code_next(*, line: ProductLine, customer_group: str, business_nature: str) -> str:
    prefix = product_code_prefix(
        line_code=line.line_code, customer_group=customer_group, business_nature=business_nature
    )
    serial = _counter_next(key=f"product:{prefix}")
    if serial > MAX_PRODUCT_SERIAL:
        raise ProductInvalid(_("No product code is left for %(prefix)s.") % {"prefix": prefix})
    return product_code_build(prefix=prefix, serial=serial)


def _counter_next(*, key: str) -> int:
    """Draw the next serial of `key` (row-locked, so concurrent draws never collide)."""
    CodeCounter.objects.get_or_create(key=key)
    counter = CodeCounter.objects.select_for_update().get(key=key)
    CodeCounter.objects.filter(pk=counter.pk).update(last_value=F("last_value") + 1)
    return counter.last_value + 1


def _components_clean(*, model: str, components: list | None) -> list[tuple[Product, str]]:
    components = components or []
    if model == ProductModel.SINGLE:
        if components:
            raise ProductInvalid(fields={"components": [_("A single product has no components.")]})
        return []
    if len(components) < 2:
        raise ProductInvalid(
            fields={
                "components": [
                    _("Composite and combined products bind at least two single products.")
                ]
            }
        )
    codes = [item["product_code"] for item in components]
    found = {p.product_code: p for p in Product.objects.filter(product_code__in=codes)}
    errors = []
    for code in codes:
        product = found.get(code)
        if product is None:
            errors.append(_("No product has the code %(code)s.") % {"code": code})
        elif product.model != ProductModel.SINGLE:
            errors.append(_("%(code)s is not a single product.") % {"code": code})
    if len(set(codes)) != len(codes):
        errors.append(_("A component is listed twice."))
    if errors:
        raise ProductInvalid(fields={"components": errors})
    return [(found[item["product_code"]], item.get("binding_rule", "")) for item in components]


def _components_write(*, product: Product, components: list[tuple[Product, str]]) -> None:
    ProductComponent.objects.filter(product=product).delete()
    ProductComponent.objects.bulk_create(
        ProductComponent(product=product, component=component, binding_rule=rule, sort_order=index)
        for index, (component, rule) in enumerate(components)
    )


def _choice_check(field: str, value: str, choices) -> None:
    if value not in choices:
        raise ProductInvalid(
            fields={field: [_("Choose one of %(choices)s.") % {"choices": ", ".join(choices)}]}
        )


def product_create_from_template(
    *,
    template_code: str,
    name: str,
    created_by,
    now: datetime,
    description: str = "",
    customer_group: str | None = None,
    business_nature: str | None = None,
    model: str = ProductModel.SINGLE,
    parameters: dict | None = None,
    components: list | None = None,
    name_zh_hans: str = "",
    description_zh_hans: str = "",
) -> Product:
    """New draft product (version 1) from a line's template, with `parameters` changing the
    template's presets (locked ones cannot change). `name` and `description` are in English,
    the `_zh_hans` ones in Chinese. Raises ProductInvalid."""
    template = (
        ProductTemplate.objects.select_related("line")
        .filter(code=template_code, is_active=True)
        .first()
    )
    if template is None:
        raise ProductInvalid(fields={"template": [_("No active template has this code.")]})
    customer_group = customer_group or template.customer_group
    business_nature = business_nature or template.business_nature
    _choice_check("customer_group", customer_group, CustomerGroup.values)
    _choice_check("business_nature", business_nature, BusinessNature.values)
    _choice_check("model", model, ProductModel.values)
    if not name.strip():
        raise ProductInvalid(fields={"name": [_("A product needs a name.")]})
    bound_components = _components_clean(model=model, components=components)
    rows = {row.definition.code: row for row in template.parameters.select_related("definition")}
    clean, errors = _settings_apply(rows=rows, changes=parameters or {}, line=template.line)
    if errors:
        raise ProductInvalid(_("Some parameters are not valid."), fields=errors)
    settings = {
        code: (_setting_dict(row), row.is_locked, row.definition) for code, row in rows.items()
    }
    definitions = _definitions_by_code(set(clean) - set(rows))
    for code, setting in clean.items():
        locked = settings[code][1] if code in settings else False
        definition = settings[code][2] if code in settings else definitions[code]
        settings[code] = (setting, locked, definition)
    with transaction.atomic():
        product = Product.objects.create(
            product_code=_product_code_next(
                line=template.line, customer_group=customer_group, business_nature=business_nature
            ),
            **translations(Product, "name", name.strip(), name_zh_hans.strip()),
            **translations(Product, "description", description, description_zh_hans),
            line=template.line,
            model=model,
            customer_group=customer_group,
            business_nature=business_nature,
            template=template,
            created_at=now,
            created_by=created_by,
        )
        version = ProductVersion.objects.create(
            product=product,
            number=1,
            created_at=now,
            created_by=created_by,
            change_note=_("Created from template %(code)s") % {"code": template.code},
        )
        ProductParameter.objects.bulk_create(
            ProductParameter(version=version, definition=definition, is_locked=locked, **setting)
            for setting, locked, definition in settings.values()
        )
        _components_write(product=product, components=bound_components)
    return product


def product_copy(*, product: Product, name: str, created_by, now: datetime) -> Product:
    """An independent draft with the source's latest values (its own code and version 1)."""
    source_version = product.versions.order_by("-number").first()
    with transaction.atomic():
        copy = Product.objects.create(
            product_code=_product_code_next(
                line=product.line,
                customer_group=product.customer_group,
                business_nature=product.business_nature,
            ),
            name=(name or "").strip() or _("Copy of %(name)s") % {"name": product.name},
            line=product.line,
            model=product.model,
            customer_group=product.customer_group,
            business_nature=product.business_nature,
            description=product.description,
            template=product.template,
            copied_from=product,
            created_at=now,
            created_by=created_by,
        )
        version = ProductVersion.objects.create(
            product=copy,
            number=1,
            created_at=now,
            created_by=created_by,
            change_note=_("Copied from %(code)s v%(number)s")
            % {"code": product.product_code, "number": source_version.number},
        )
        _parameters_copy(source=source_version, target=version)
        components = [
            (item.component, item.binding_rule)
            for item in product.components.select_related("component").order_by("sort_order")
        ]
        _components_write(product=copy, components=components)
    return copy


def _parameters_copy(*, source: ProductVersion, target: ProductVersion) -> None:
    ProductParameter.objects.bulk_create(
        ProductParameter(
            version=target,
            definition_id=row.definition_id,
            is_locked=row.is_locked,
            **_setting_dict(row),
        )
        for row in source.parameters.all()
    )


class ProductChangeNeedsApproval(Conflict):
    code = "approval_required"
    default_message = gettext_lazy(
        "Changes to an active product take effect when another parameter administrator "
        "approves them: propose the change."
    )


class ProductAwaitingApproval(Conflict):
    code = "product_awaiting_approval"
    default_message = gettext_lazy(
        "The product's publication is awaiting approval; withdraw the proposal to edit it."
    )


# Who may approve a product change proposed by someone else (parameter administrators).
APPROVE_PERMISSION = "products.publish_product"


class _ValidatedOnly(Exception):
    """Rolls back a change that was only checked (validate_only)."""


def product_modify(
    *,
    product: Product,
    modified_by: User | None,
    now: datetime,
    name: str | None = None,
    description: str | None = None,
    parameters: dict | None = None,
    components: list | None = None,
    change_note: str = "",
    approved_by: User | None = None,
    proposal: ProductProposal | None = None,
    validate_only: bool = False,
) -> ProductVersion | None:
    """Change a product. A draft changes in place (version 1), unless its publication awaits
    approval; an active or suspended product gets a new version (copy-on-write) that new
    accounts open on, while existing accounts keep theirs, and only with a second parameter
    administrator's approval (`approved_by`, through `products.proposals`). System principle
    values cannot change once the product has accounts. `validate_only` checks the change
    and writes nothing (returns None). Returns the version holding the change."""
    with transaction.atomic():
        locked = Product.objects.select_for_update().get(pk=product.pk)
        if not validate_only:
            if locked.status == ProductStatus.DRAFT:
                if ProductProposal.objects.filter(
                    product=locked, status=ProposalStatus.PENDING
                ).exists():
                    raise ProductAwaitingApproval()
            elif approved_by is None:
                raise ProductChangeNeedsApproval()
            else:
                proposal_decider_check(
                    proposed_by_id=modified_by.pk if modified_by else None,
                    decided_by=approved_by,
                    permission=APPROVE_PERMISSION,
                )
        try:
            with transaction.atomic():
                version = _product_modify(
                    product=locked,
                    modified_by=modified_by,
                    approved_by=approved_by,
                    proposal=proposal,
                    now=now,
                    name=name,
                    description=description,
                    parameters=parameters,
                    components=components,
                    change_note=change_note,
                )
                if validate_only:
                    raise _ValidatedOnly
        except _ValidatedOnly:
            return None
    return version


def _product_modify(
    *,
    product: Product,
    modified_by: User | None,
    approved_by: User | None,
    proposal: ProductProposal | None,
    now: datetime,
    name: str | None,
    description: str | None,
    parameters: dict | None,
    components: list | None,
    change_note: str,
) -> ProductVersion:
    with transaction.atomic():
        product = Product.objects.select_for_update().select_related("line").get(pk=product.pk)
        if product.status == ProductStatus.RETIRED:
            raise ProductStateConflict(_("A retired product cannot be modified."))
        latest = product.versions.order_by("-number").first()
        rows = {row.definition.code: row for row in latest.parameters.select_related("definition")}
        clean, errors = _settings_apply(rows=rows, changes=parameters or {}, line=product.line)
        if errors:
            raise ProductInvalid(_("Some parameters are not valid."), fields=errors)
        merged = {
            code: _Setting(definition=row.definition, value=row.value) for code, row in rows.items()
        }
        definitions_new = _definitions_by_code(set(clean) - set(rows))
        for code, setting in clean.items():
            definition = rows[code].definition if code in rows else definitions_new[code]
            merged[code] = _Setting(definition=definition, value=setting["value"])
        before = _binding_rule_errors(
            settings={
                code: _Setting(definition=row.definition, value=row.value)
                for code, row in rows.items()
            }
        )
        # The rules this change breaks (a draft made before a rule existed may still break
        # it; publishing reports that).
        broken = {
            field: [m for m in messages if m not in before.get(field, [])]
            for field, messages in _binding_rule_errors(settings=merged).items()
        }
        broken = {field: messages for field, messages in broken.items() if messages}
        if broken:
            raise ProductInvalid(_("Some parameters contradict each other."), fields=broken)
        changed = {
            code: setting
            for code, setting in clean.items()
            if code not in rows or _setting_dict(rows[code]) != setting
        }
        system_changed = [
            code
            for code, setting in changed.items()
            if setting["principle_level"] == PrincipleLevel.SYSTEM and code in rows
        ]
        if system_changed and Account.objects.filter(product=product).exists():
            raise SystemPrincipleChange(
                _(
                    "System principle values cannot change on a product that has accounts: %(codes)s."
                )
                % {"codes": ", ".join(system_changed)},
                fields={
                    f"parameters.{code}": [SystemPrincipleChange.default_message]
                    for code in system_changed
                },
            )
        bound_components = None
        if components is not None:
            bound_components = _components_clean(model=product.model, components=components)
        if name is not None:
            if not name.strip():
                raise ProductInvalid(fields={"name": [_("A product needs a name.")]})
            product.name_en = name.strip()  # English: the Chinese is kept (or edited apart)
        if description is not None:
            product.description_en = description
        product.save(update_fields=["name", "name_en", "description", "description_en"])
        if bound_components is not None:
            _components_write(product=product, components=bound_components)
        if product.status == ProductStatus.DRAFT:
            version = latest
        else:
            if not changed:
                return latest
            version = ProductVersion.objects.create(
                product=product,
                number=latest.number + 1,
                created_at=now,
                created_by=modified_by,
                approved_by=approved_by,
                change_note=change_note,
            )
            _parameters_copy(source=latest, target=version)
            product.active_version = version
            product.save(update_fields=["active_version"])
            ProductEvent.objects.create(
                product=product,
                action="modify",
                from_status=product.status,
                to_status=product.status,
                acted_by=modified_by,
                approved_by=approved_by,
                version=version,
                proposal=proposal,
                occurred_at=now,
            )
        if change_note and version.change_note != change_note:
            version.change_note = change_note
            version.save(update_fields=["change_note"])
        definitions = _definitions_by_code(set(changed) - set(rows))
        for code, setting in changed.items():
            if code in rows:
                ProductParameter.objects.filter(
                    version=version, definition_id=rows[code].definition_id
                ).update(**setting)
            else:
                ProductParameter.objects.create(
                    version=version, definition=definitions[code], **setting
                )
    return version


def _binding_rule_errors(*, settings: dict) -> dict[str, list[str]]:
    """Rules that bind parameters to each other (code → setting row or dict with
    `definition` and `value`). Amounts are never converted between currencies: a minimum
    binds openings in the currency it is stated in, so it must be one the product allows,
    and amounts are compared only within one currency."""
    errors: dict[str, list[str]] = {}
    opening, retained = settings.get("min_opening_amount"), settings.get("min_retained_balance")
    if (
        opening
        and retained
        and opening.value
        and retained.value
        and compare(opening.definition, retained.value, opening.value) in (None, 1)
    ):
        errors["parameters.min_retained_balance"] = [
            _(
                "The minimum retained balance cannot exceed the minimum opening amount (same currency)."
            )
        ]
    allowed = settings.get("allowed_currencies")
    allowed_codes = [c for c in (allowed.value if allowed else "").split(",") if c]
    for code in ("min_opening_amount", "max_opening_amount", "min_retained_balance"):
        setting = settings.get(code)
        if not setting or not setting.value or not allowed_codes:
            continue
        currency = setting.value.split()[-1]
        if currency not in allowed_codes:
            errors.setdefault(f"parameters.{code}", []).append(
                _(
                    "%(label)s is stated in %(currency)s, which the product's currency control "
                    "does not allow (%(allowed)s); amounts are never converted between currencies."
                )
                % {
                    "label": setting.definition.label,
                    "currency": currency,
                    "allowed": ", ".join(allowed_codes),
                }
            )
    return errors


@dataclass(frozen=True, slots=True)
class _Setting:
    definition: ParameterDefinition
    value: str


def _product_cross_checks(*, version: ProductVersion) -> dict[str, list[str]]:
    """Rules checked when a product is published: every value set, and the binding rules."""
    settings = product_settings(version=version)
    errors: dict[str, list[str]] = {}
    for code, row in settings.items():
        if (
            row.definition.data_type not in (DataType.CHOICE_LIST, DataType.TEXT)
            and row.value == ""
        ):
            errors[f"parameters.{code}"] = [_("A value is required before publishing.")]
    for field, messages in _binding_rule_errors(settings=settings).items():
        errors.setdefault(field, []).extend(messages)
    return errors


def product_publish(
    *,
    product: Product,
    published_by: User,
    approved_by: User,
    now: datetime,
    proposal: ProductProposal | None = None,
) -> Product:
    """Draft → active: its latest version becomes the one accounts open on. Proposed by
    `published_by`, approved by a different parameter administrator (`products.proposals`
    calls this when the proposal is approved)."""
    proposal_decider_check(
        proposed_by_id=published_by.pk if published_by else None,
        decided_by=approved_by,
        permission=APPROVE_PERMISSION,
    )
    with transaction.atomic():
        product = Product.objects.select_for_update().get(pk=product.pk)
        if product.status != ProductStatus.DRAFT:
            raise ProductStateConflict(_("Only a draft product can be published."))
        version = product.versions.order_by("-number").first()
        errors = _product_cross_checks(version=version)
        if errors:
            raise ProductInvalid(_("The product cannot be published yet."), fields=errors)
        product.status = ProductStatus.ACTIVE
        product.active_version = version
        product.published_at = now
        product.published_by = published_by
        product.publication_approved_by = approved_by
        product.save(
            update_fields=[
                "status",
                "active_version",
                "published_at",
                "published_by",
                "publication_approved_by",
            ]
        )
        ProductEvent.objects.create(
            product=product,
            action="publish",
            from_status=ProductStatus.DRAFT,
            to_status=ProductStatus.ACTIVE,
            acted_by=published_by,
            approved_by=approved_by,
            version=version,
            proposal=proposal,
            occurred_at=now,
        )
    return product


def product_publish_check(*, product: Product) -> None:
    """Raise what publishing would refuse now (state, missing values, binding rules)."""
    if product.status != ProductStatus.DRAFT:
        raise ProductStateConflict(_("Only a draft product can be published."))
    version = product.versions.order_by("-number").first()
    errors = _product_cross_checks(version=version)
    if errors:
        raise ProductInvalid(_("The product cannot be published yet."), fields=errors)


def _product_transition(
    *,
    product: Product,
    action: str,
    acted_by: User,
    allowed_from: tuple,
    to: str,
    message: str,
    now: datetime,
) -> Product:
    if acted_by is None:
        raise ProductStateConflict(_("A lifecycle change must name who makes it."))
    with transaction.atomic():
        product = Product.objects.select_for_update().get(pk=product.pk)
        if product.status not in allowed_from:
            raise ProductStateConflict(message)
        from_status = product.status
        product.status = to
        fields = ["status"]
        if to == ProductStatus.RETIRED:
            product.retired_at = now
            product.retired_by = acted_by
            fields += ["retired_at", "retired_by"]
        product.save(update_fields=fields)
        ProductEvent.objects.create(
            product=product,
            action=action,
            from_status=from_status,
            to_status=to,
            acted_by=acted_by,
            occurred_at=now,
        )
    return product


def product_suspend(*, product: Product, suspended_by: User, now: datetime) -> Product:
    """Active → suspended: no new accounts until resumed."""
    return _product_transition(
        product=product,
        action="suspend",
        acted_by=suspended_by,
        allowed_from=(ProductStatus.ACTIVE,),
        to=ProductStatus.SUSPENDED,
        message=_("Only an active product can be suspended."),
        now=now,
    )


def product_resume(*, product: Product, resumed_by: User, now: datetime) -> Product:
    return _product_transition(
        product=product,
        action="resume",
        acted_by=resumed_by,
        allowed_from=(ProductStatus.SUSPENDED,),
        to=ProductStatus.ACTIVE,
        message=_("Only a suspended product can be resumed."),
        now=now,
    )


def product_retire(*, product: Product, retired_by: User, now: datetime) -> Product:
    """Active or suspended → retired (final): existing accounts stay, no new ones open."""
    return _product_transition(
        product=product,
        action="retire",
        acted_by=retired_by,
        allowed_from=(ProductStatus.ACTIVE, ProductStatus.SUSPENDED),
        to=ProductStatus.RETIRED,
        message=_("Only an active or suspended product can be retired."),
        now=now,
    )


# Publishing is not here: it is a proposal a second administrator approves (products.proposals).
PRODUCT_ACTIONS = ("suspend", "resume", "retire")


def product_lifecycle_act(
    *, product: Product, action: str, acted_by: User, now: datetime
) -> Product:
    """Run one lifecycle action by name (the pages and the API offer them as buttons and
    endpoints): suspend, resume or retire. Each records who did it."""
    if action == "suspend":
        return product_suspend(product=product, suspended_by=acted_by, now=now)
    if action == "resume":
        return product_resume(product=product, resumed_by=acted_by, now=now)
    if action == "retire":
        return product_retire(product=product, retired_by=acted_by, now=now)
    raise ValueError(f"Unknown product action {action!r}.")


# ---------------------------------------------------------------- accounts


@dataclass(frozen=True, slots=True)
class AccountOpening:
    account: Account
    negotiated_parameters: tuple[str, ...]
    decision: TransactionDecision = NOT_EVALUATED  # the authorization rules' answer

    @property
    def needs_authorization(self) -> bool:
        return bool(self.negotiated_parameters) or self.decision.required


# How many account numbers an opening draws before giving up: each taken number is skipped.
ACCOUNT_NO_ATTEMPTS = 20


def _refuse(violations: list[Violation]) -> AccountOpeningRefused:
    fields: dict[str, list[str]] = {}
    for violation in violations:
        fields.setdefault(violation.field, []).append(violation.message)
    error = AccountOpeningRefused(" ".join(v.message for v in violations), fields=fields)
    error.code = violations[0].rule
    return error


def _acting_user(user):
    """The user an opening acts for (None for the system and tests that name no one)."""
    return user if getattr(user, "pk", None) else None


def _account_insert(*, line_code: str, **values) -> Account:
    """Insert the account under a freshly drawn number. The counter row lives outside the
    insert's savepoint, so a number found taken stays drawn and the next attempt draws the
    next one; an integrity error that is not about the number is never retried."""
    for _attempt in range(ACCOUNT_NO_ATTEMPTS):
        account_no = account_no_build(line_code=line_code, serial=_counter_next(key="account"))
        try:
            with transaction.atomic():
                return Account.objects.create(account_no=account_no, **values)
        except IntegrityError:
            if not Account.objects.filter(account_no=account_no).exists():
                raise
    raise Conflict(_("No account number could be drawn; try again."))


def account_open(
    *,
    product_code: str,
    customer_no: str,
    currency: str,
    opening_amount,
    channel: str,
    opened_by,
    branch,
    now: datetime,
    medium: str = "",
    parameters: dict | None = None,
) -> AccountOpening:
    """Open an account on the product's active version for a customer.

    The customer is looked up within `opened_by`'s branch scope: one outside it gets exactly
    the answer an unknown number gets. Resolves every parameter (principles from the product,
    defaults overridable within the product's bounds), checks the usage controls, and refuses
    with one message per broken rule (AccountOpeningRefused; its code is the first rule's
    code). Then the opening is evaluated by the authorization rules in force like any
    transaction (bankcore.ports.account_opening_evaluate): a refusing rule refuses it
    (`authorization_refused`); a rule requiring authorization, or values inside a negotiable
    range (listed in `negotiated_parameters`), open the account as `pending_authorization`
    with the decision recorded on it; the authorization center then approves or refuses it
    with `account_authorization_complete`."""
    product = (
        Product.objects.select_related("line", "active_version")
        .filter(product_code=product_code)
        .first()
    )
    if product is None:
        raise ProductNotFound(fields={"product_code": [ProductNotFound.default_message]})
    if product.status != ProductStatus.ACTIVE:
        raise ProductNotActive(
            _("Product %(code)s is %(status)s; accounts open on active products only.")
            % {"code": product.product_code, "status": product.get_status_display()},
            fields={"product_code": [ProductNotActive.default_message]},
        )
    acting = _acting_user(opened_by)
    try:
        customer = customer_summary(customer_no=customer_no, user=acting)
    except CustomerNotFound as exc:
        raise DomainError(exc.message, fields={"customer_no": [exc.message]}) from exc
    violations: list[Violation] = []
    if customer.status != "active":
        violations.append(
            Violation(
                "customer_not_active",
                "customer_no",
                _("The customer is %(status)s; accounts open for active customers only.")
                % {"status": choice_label("customer_status", customer.status)},
            )
        )
    if currency not in CURRENCY_MINOR_UNITS:
        raise DomainError(
            _("%(currency)s is not a supported currency.") % {"currency": currency},
            fields={"currency": [_("Choose an ISO 4217 currency such as CNY or USD.")]},
        )
    try:
        amount = parse_amount(opening_amount, currency=currency, allow_zero=True)
    except InvalidMoney as exc:
        raise DomainError(str(exc), fields={"opening_amount": [str(exc)]}) from exc
    version = product.active_version
    settings = product_settings(version=version)
    negotiated, override_violations, resolved = classify_overrides(
        settings=settings, overrides=parameters or {}
    )
    violations.extend(override_violations)
    violations.extend(
        usage_control_violations(
            resolved=resolved,
            customer_type=customer.customer_type,
            is_interbank=customer.is_interbank,
            currency=currency,
            opening_amount=amount,
            channel=channel,
            medium=medium,
        )
    )
    if violations:
        raise _refuse(violations)
    # Evaluated (and recorded as flow data, refusals included) before anything is written.
    decision = account_opening_evaluate(
        customer_no=customer.customer_no,
        product_code=product.product_code,
        amount=amount,
        currency=currency,
        parameters={code: resolved[code] for code in (parameters or {}) if code in resolved},
        channel=channel,
        branch_code=getattr(branch, "code", ""),
        teller=acting.get_username() if acting else "",
        now=now,
    )
    if decision.refused:
        error = AccountOpeningRefused(
            _("The authorization rules refuse this opening: %(reasons)s.")
            % {"reasons": decision.reasons_text}
        )
        error.code = "authorization_refused"
        raise error
    with transaction.atomic():
        pending = bool(negotiated) or decision.required
        account = _account_insert(
            line_code=product.line.line_code,
            customer_no=customer.customer_no,
            customer_name=customer.name,
            customer_type=customer.customer_type,
            product=product,
            product_version=version,
            currency=currency,
            opening_amount=amount,
            channel=channel,
            medium=medium,
            status=AccountStatus.PENDING_AUTHORIZATION if pending else AccountStatus.ACTIVE,
            parameter_values=resolved,
            negotiated_parameters=negotiated,
            authorization_mode=decision.mode if decision.required else "",
            authorization_level=decision.level if decision.required else None,
            authorization_reasons=[
                {"code": reason.reason_code, "name": reason.reason_name}
                for reason in decision.reasons
            ],
            evaluation_reference=decision.reference,
            branch=branch,
            opened_at=now,
            opened_by=opened_by,
        )
    return AccountOpening(
        account=account, negotiated_parameters=tuple(negotiated), decision=decision
    )


def account_authorization_complete(*, account_no: str, approved: bool) -> Account:
    """The authorization center's answer on a pending opening (negotiated parameters or a
    rule's decision, see `account_open`): the pending account becomes active, or refused.
    This is the entry point the authorization workflow calls when its request is decided.
    Raises NotFound / AccountStateConflict."""
    updated = Account.objects.filter(
        account_no=account_no, status=AccountStatus.PENDING_AUTHORIZATION
    ).update(status=AccountStatus.ACTIVE if approved else AccountStatus.REFUSED)
    account = Account.objects.filter(account_no=account_no).first()
    if account is None:
        raise NotFound(_("No account has this account number."))
    if not updated:
        raise AccountStateConflict(_("The account is not waiting for authorization."))
    return account


def account_opening_check(
    *,
    product_code: str,
    customer_no: str | None,
    currency: str | None,
    opening_amount,
    channel: str | None,
    medium: str,
    parameters: dict,
    opened_by,
) -> dict[str, list[str]]:
    """Every problem of an opening at once (field → messages), writing nothing and
    evaluating no rule: for the open-account page, which shows them all beside their fields
    even when some inputs did not parse (None: not checked). `account_open` decides."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    product = (
        Product.objects.select_related("active_version")
        .filter(product_code=product_code, status=ProductStatus.ACTIVE)
        .first()
        if product_code
        else None
    )
    if product_code and (product is None or product.active_version is None):
        add("product_code", str(ProductNotActive.default_message))
    customer = None
    if customer_no:
        try:
            customer = customer_summary(customer_no=customer_no, user=_acting_user(opened_by))
        except CustomerNotFound as exc:
            add("customer_no", exc.message)
    if customer is not None and customer.status != "active":
        add(
            "customer_no", _("The customer is not active; accounts open for active customers only.")
        )
    amount = None
    if currency and opening_amount is not None:
        try:
            amount = parse_amount(opening_amount, currency=currency, allow_zero=True)
        except InvalidMoney as exc:
            add("opening_amount", str(exc))
    if product is None or product.active_version is None:
        return errors
    settings = product_settings(version=product.active_version)
    _negotiated, violations, resolved = classify_overrides(
        settings=settings, overrides=parameters or {}
    )
    if currency and channel:
        # What did not parse or was not found is not judged again (its error is given).
        unchecked = {"opening_amount"} if amount is None else set()
        if customer is None:
            unchecked.add("customer_no")
        violations.extend(
            violation
            for violation in usage_control_violations(
                resolved=resolved,
                customer_type=customer.customer_type if customer else "",
                is_interbank=customer.is_interbank if customer else True,
                currency=currency,
                opening_amount=amount if amount is not None else Decimal(0),
                channel=channel,
                medium=medium,
            )
            if violation.field not in unchecked
        )
    for violation in violations:
        add(violation.field, violation.message)
    return errors
