"""How an account's parameters are resolved from its product version at opening.

- system principle: the account always equals the product; a different value is refused;
- product principle: fixed by the product; a different value is refused;
- default: the product's value unless the opening gives another. For numbers, amounts and
  terms the other value must lie within the product's free bounds (or, when the product
  gives none, the definition's bounds); a value outside them but inside the product's
  negotiable range is accepted only with authorization (it is "negotiated"); anything else
  is refused.

Usage controls are control-zone parameters with well-known codes, checked by
`usage_control_violations`: allowed_customer_types, interbank_only, allowed_currencies,
allowed_channels, allowed_media, min_opening_amount, max_opening_amount.

Currencies. Amounts are never converted. The opening's currency must be one the product
allows (`currency_not_allowed`). A minimum (or maximum) opening amount is stated in one
currency and binds openings in that currency; an opening in another currency is refused
(`minimum_not_in_currency`), because the product states no minimum for it, unless the
minimum is zero; likewise a maximum (`maximum_not_in_currency`). The designer keeps a product's minimum in a currency it allows.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from products.choice_labels import choice_label, choice_labels
from products.models import PrincipleLevel
from products.parameters import (
    ORDERED_TYPES,
    ParameterValueInvalid,
    bounds_text,
    display,
    parameter_value_clean,
    within,
)


@dataclass(frozen=True, slots=True)
class Violation:
    rule: str  # machine code of the rule, e.g. "below_minimum_opening_amount"
    field: str  # the input field it names, e.g. "opening_amount", "parameters.term"
    message: str


def _field(code: str) -> str:
    return f"parameters.{code}"


def classify_overrides(
    *, settings: dict, overrides: dict
) -> tuple[list[str], list[Violation], dict[str, str]]:
    """Resolve the account's parameters from the version's `settings` (code → setting row)
    and the opening's `overrides` (code → raw value).

    Returns (negotiated codes, violations, resolved code → canonical value)."""
    resolved = {code: setting.value for code, setting in settings.items()}
    negotiated: list[str] = []
    violations: list[Violation] = []
    for code, raw in (overrides or {}).items():
        setting = settings.get(code)
        if setting is None:
            violations.append(
                Violation(
                    "parameter_unknown",
                    _field(code),
                    _("The product has no parameter %(code)s.") % {"code": code},
                )
            )
            continue
        definition = setting.definition
        try:
            value = parameter_value_clean(definition=definition, raw=raw)
        except ParameterValueInvalid as exc:
            violations.append(Violation("parameter_value_invalid", _field(code), exc.message))
            continue
        level = (
            PrincipleLevel.SYSTEM
            if definition.principle_level == PrincipleLevel.SYSTEM
            else setting.principle_level
        )
        if level != PrincipleLevel.DEFAULT:
            if value != setting.value:
                rule = (
                    "system_principle_parameter"
                    if level == PrincipleLevel.SYSTEM
                    else "product_principle_parameter"
                )
                message = (
                    _(
                        "%(label)s is a system principle parameter: the account must equal "
                        "the product (%(value)s) and cannot be changed at opening."
                    )
                    if level == PrincipleLevel.SYSTEM
                    else _(
                        "%(label)s is a product principle parameter fixed by the product at "
                        "%(value)s; it cannot be changed at opening."
                    )
                )
                violations.append(
                    Violation(
                        rule,
                        _field(code),
                        message
                        % {"label": definition.label, "value": display(definition, setting.value)},
                    )
                )
            continue
        if definition.data_type in ORDERED_TYPES and value:
            free_low, free_high = setting.free_min, setting.free_max
            if not within(definition, value, free_low, free_high):
                neg_low, neg_high = setting.negotiable_min, setting.negotiable_max
                if (neg_low or neg_high) and within(definition, value, neg_low, neg_high):
                    negotiated.append(code)
                else:
                    has_range = bool(neg_low or neg_high)
                    violations.append(
                        Violation(
                            "outside_negotiable_range" if has_range else "outside_free_bounds",
                            _field(code),
                            (
                                _(
                                    "%(label)s %(value)s is outside the negotiable range "
                                    "(%(bounds)s) the product allows."
                                )
                                % {
                                    "label": definition.label,
                                    "value": display(definition, value),
                                    "bounds": bounds_text(definition, neg_low, neg_high),
                                }
                            )
                            if has_range
                            else (
                                _(
                                    "%(label)s %(value)s is outside the bounds (%(bounds)s) the product allows."
                                )
                                % {
                                    "label": definition.label,
                                    "value": display(definition, value),
                                    "bounds": bounds_text(definition, free_low, free_high),
                                }
                            ),
                        )
                    )
                    continue
        resolved[code] = value
    return negotiated, violations, resolved


def _listed(resolved: dict, code: str) -> list[str] | None:
    value = resolved.get(code)
    if value in (None, ""):
        return None  # the product sets no restriction
    return value.split(",")


def usage_control_violations(
    *,
    resolved: dict[str, str],
    customer_type: str,
    is_interbank: bool,
    currency: str,
    opening_amount: Decimal,
    channel: str,
    medium: str,
) -> list[Violation]:
    """The product's usage controls checked against one opening."""
    violations = []
    allowed = _listed(resolved, "allowed_customer_types")
    if allowed is not None and customer_type not in allowed:
        violations.append(
            Violation(
                "customer_type_not_allowed",
                "customer_no",
                _(
                    "The product's customer-type control allows %(allowed)s customers only; this customer is %(type)s."
                )
                % {
                    "allowed": choice_labels("allowed_customer_types", allowed),
                    "type": choice_label("allowed_customer_types", customer_type),
                },
            )
        )
    if resolved.get("interbank_only") == "true" and not is_interbank:
        violations.append(
            Violation(
                "interbank_only",
                "customer_no",
                _("The product is for interbank (同业) customers only."),
            )
        )
    allowed = _listed(resolved, "allowed_currencies")
    if allowed is not None and currency not in allowed:
        violations.append(
            Violation(
                "currency_not_allowed",
                "currency",
                _("The product's currency control allows %(allowed)s only.")
                % {"allowed": ", ".join(allowed)},
            )
        )
    allowed = _listed(resolved, "allowed_channels")
    if allowed is not None and channel not in allowed:
        violations.append(
            Violation(
                "channel_not_allowed",
                "channel",
                _("The product's channel control allows %(allowed)s only.")
                % {"allowed": choice_labels("allowed_channels", allowed)},
            )
        )
    allowed = _listed(resolved, "allowed_media")
    if allowed is not None and medium and medium not in allowed:
        violations.append(
            Violation(
                "medium_not_allowed",
                "medium",
                _("The product's medium control allows %(allowed)s only.")
                % {"allowed": choice_labels("allowed_media", allowed)},
            )
        )
    minimum = resolved.get("min_opening_amount")
    if minimum:
        min_amount, min_currency = minimum.split()
        stated = f"{Decimal(min_amount):,} {min_currency}"
        if min_currency != currency:
            if Decimal(min_amount) != 0:
                violations.append(
                    Violation(
                        "minimum_not_in_currency",
                        "opening_amount",
                        _(
                            "The product states its minimum opening amount (%(minimum)s) in "
                            "%(min_currency)s only; it states none for %(currency)s and amounts "
                            "are not converted between currencies."
                        )
                        % {"minimum": stated, "min_currency": min_currency, "currency": currency},
                    )
                )
        elif opening_amount < Decimal(min_amount):
            violations.append(
                Violation(
                    "below_minimum_opening_amount",
                    "opening_amount",
                    _("The minimum opening amount of the product is %(minimum)s.")
                    % {"minimum": stated},
                )
            )
    maximum = resolved.get("max_opening_amount")
    if maximum:
        max_amount, max_currency = maximum.split()
        if max_currency != currency:
            violations.append(
                Violation(
                    "maximum_not_in_currency",
                    "opening_amount",
                    _(
                        "The product states its maximum opening amount in %(max_currency)s "
                        "only; amounts are not converted between currencies."
                    )
                    % {"max_currency": max_currency},
                )
            )
        elif opening_amount > Decimal(max_amount):
            violations.append(
                Violation(
                    "above_maximum_opening_amount",
                    "opening_amount",
                    _("The maximum opening amount of the product is %(maximum)s.")
                    % {"maximum": f"{Decimal(max_amount):,} {max_currency}"},
                )
            )
    return violations


@dataclass(frozen=True, slots=True)
class OverrideStatus:
    state: str  # "default" | "free" | "negotiable" | "invalid"
    message: str


def override_status(*, setting, raw: str) -> OverrideStatus:
    """What one value typed for an overridable parameter means, before submitting: the
    product's value, within the free bounds, inside the negotiable range (the opening will
    need authorization) or refused (the message says why)."""
    code = setting.definition.code
    if str(raw).strip() == "":
        return OverrideStatus("default", "")
    negotiated, violations, resolved = classify_overrides(
        settings={code: setting}, overrides={code: raw}
    )
    if violations:
        return OverrideStatus("invalid", violations[0].message)
    if negotiated:
        return OverrideStatus(
            "negotiable",
            _("Needs authorization: %(value)s is in the negotiable range (%(bounds)s).")
            % {
                "value": display(setting.definition, resolved[code]),
                "bounds": bounds_text(
                    setting.definition, setting.negotiable_min, setting.negotiable_max
                ),
            },
        )
    if resolved[code] == setting.value:
        return OverrideStatus("default", "")
    return OverrideStatus("free", _("Within the free range: no authorization needed."))
