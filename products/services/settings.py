"""A parameter setting of a product or template (value, principle level, bounds): checked in
one place, `setting_clean`, and applied to a set of rows by `settings_apply`."""

from __future__ import annotations

from django.utils.translation import gettext as _

from products.models import ParameterDefinition, PrincipleLevel, ProductLine
from products.parameters import (
    ParameterValueInvalid,
    bound_clean,
    bounds_text,
    compare,
    display,
    parameter_value_clean,
    within,
)
from products.services.errors import ProductInvalid

SETTING_KEYS = (
    "value",
    "principle_level",
    "free_min",
    "free_max",
    "negotiable_min",
    "negotiable_max",
)
BOUND_KEYS = ("free_min", "free_max", "negotiable_min", "negotiable_max")


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


def setting_dict(row) -> dict:
    return {key: getattr(row, key) for key in SETTING_KEYS}


def definitions_by_code(codes) -> dict[str, ParameterDefinition]:
    return {d.code: d for d in ParameterDefinition.objects.filter(code__in=list(codes))}


def settings_apply(
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
        current = setting_dict(row) if row is not None else None
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
