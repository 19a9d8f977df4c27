"""Checking values against their definitions: the one validation service."""

import pytest

from products.models import ParameterDefinition
from products.parameters import ParameterValueInvalid, parameter_value_clean
from products.services import setting_clean

pytestmark = pytest.mark.django_db


def definition(code):
    return ParameterDefinition.objects.get(code=code)


@pytest.mark.parametrize(
    ("code", "raw", "canonical"),
    [
        ("renewal_count", "05", "5"),
        ("interest_rate", "1.450", "1.45"),
        ("min_opening_amount", "80000 cny", "80000.00 CNY"),
        ("min_opening_amount", {"amount": "1.5", "currency": "USD"}, "1.50 USD"),
        ("interbank_only", "yes", "true"),
        ("term", "21d", "21D"),
        ("allowed_customer_types", ["internal", "personal"], "personal,internal"),
        ("balance_direction", "credit", "credit"),
    ],
)
def test_values_are_stored_in_canonical_text(code, raw, canonical):
    assert parameter_value_clean(definition=definition(code), raw=raw) == canonical


@pytest.mark.parametrize(
    ("code", "raw", "message"),
    [
        ("renewal_count", "1.5", "whole number"),
        ("renewal_count", "100", "outside the allowed range"),
        ("interest_rate", 1.5, "floating point"),
        ("min_opening_amount", "80000", "amount and a currency"),
        ("min_opening_amount", "1.001 CNY", "amount and a currency"),
        ("term", "3W", "21D, 6M or 1Y"),
        ("term", "31Y", "outside the allowed range"),
        ("balance_direction", "sideways", "not one of"),
        ("allowed_customer_types", "martian", "not one of"),
    ],
)
def test_invalid_values_are_refused_naming_the_parameter(code, raw, message):
    with pytest.raises(ParameterValueInvalid) as caught:
        parameter_value_clean(definition=definition(code), raw=raw)

    assert message in caught.value.fields[code][0]
    assert caught.value.message.startswith(definition(code).label)


def test_terms_compare_on_the_30_360_convention():
    term = definition("term")
    setting = {"value": "6M", "principle_level": "default", "free_min": "90D", "free_max": "1Y"}

    assert setting_clean(definition=term, current=None, change=setting)["free_max"] == "1Y"
    with pytest.raises(ParameterValueInvalid):
        setting_clean(definition=term, current=None, change={**setting, "value": "2Y"})


def test_the_negotiable_range_must_be_wider_than_the_free_bounds():
    with pytest.raises(ParameterValueInvalid) as caught:
        setting_clean(
            definition=definition("early_withdrawals_allowed"),
            current=None,
            change={
                "value": "1",
                "principle_level": "default",
                "free_max": "3",
                "negotiable_max": "2",
            },
        )

    assert "wider" in caught.value.message


def test_a_system_principle_parameter_stays_system_principle():
    with pytest.raises(ParameterValueInvalid):
        setting_clean(
            definition=definition("balance_direction"),
            current=None,
            change={"value": "credit", "principle_level": "default"},
        )


def test_bounds_apply_to_default_parameters_only():
    with pytest.raises(ParameterValueInvalid) as caught:
        setting_clean(
            definition=definition("renewal_count"),
            current=None,
            change={"value": "1", "principle_level": "product", "free_max": "3"},
        )

    assert "default parameters only" in caught.value.message


def test_every_template_setting_of_the_catalogue_is_valid():
    from products.models import TemplateParameter

    for row in TemplateParameter.objects.select_related("definition"):
        current = {
            key: getattr(row, key)
            for key in (
                "value",
                "principle_level",
                "free_min",
                "free_max",
                "negotiable_min",
                "negotiable_max",
            )
        }
        assert setting_clean(definition=row.definition, current=None, change=current) == current, (
            row
        )
