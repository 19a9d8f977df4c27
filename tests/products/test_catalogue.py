"""The parameter catalogue and the templates, maintained by parameter administrators through
staff pages and the API: add a parameter to a zone, edit an unused one, edit template presets
and locks."""

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from products import services
from products.models import ParameterDefinition, ProductTemplate, TemplateParameter
from products.proposals import product_change_submit
from tests.products.factories import parameter_admins_for_test, product_create_for_test

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, param_admin):
    client.force_login(param_admin)
    return client


def _unused(code="fee_waiver_days", **kwargs):
    return services.parameter_definition_create(
        code=code,
        label=kwargs.pop("label", "Fee waiver (days)"),
        zone=kwargs.pop("zone", "feature"),
        data_type=kwargs.pop("data_type", "integer"),
        principle_level=kwargs.pop("principle_level", "default"),
        min_value=kwargs.pop("min_value", "0"),
        max_value=kwargs.pop("max_value", "30"),
        **kwargs,
    )


# ---------------------------------------------------------------- services


def test_an_unused_parameter_takes_new_label_and_bounds():
    definition = _unused()

    services.parameter_definition_update(
        definition=definition, label="Fee waiver period", min_value="1", max_value="60"
    )

    definition.refresh_from_db()
    assert (definition.label, definition.min_value, definition.max_value) == (
        "Fee waiver period",
        "1",
        "60",
    )


def test_a_used_parameter_keeps_its_bounds_but_may_be_relabelled(org):
    product_create_for_test()  # sets renewal_count
    definition = ParameterDefinition.objects.get(code="renewal_count")

    with pytest.raises(services.ParameterDefinitionInUse) as caught:
        services.parameter_definition_update(definition=definition, max_value="5")
    services.parameter_definition_update(definition=definition, label="Renewals allowed")

    assert set(caught.value.fields) == {"max_value"}
    definition.refresh_from_db()
    assert definition.max_value == "99"
    assert definition.label == "Renewals allowed"


def test_bounds_of_the_wrong_shape_are_named_per_field():
    definition = _unused()

    with pytest.raises(services.ParameterDefinitionInvalid) as caught:
        services.parameter_definition_update(definition=definition, min_value="ten")
    with pytest.raises(services.ParameterDefinitionInvalid) as reversed_bounds:
        services.parameter_definition_update(definition=definition, min_value="40")

    assert "whole number" in caught.value.fields["min_value"][0]
    assert "below the minimum" in reversed_bounds.value.fields["max_value"][0]


def test_a_template_edit_changes_presets_and_locks_for_new_products_only(org):
    old = product_create_for_test(template="demand_deposit")
    template = ProductTemplate.objects.get(code="demand_deposit")

    services.product_template_update(
        template=template,
        parameters={"interest_rate": "0.35"},
        locked=["balance_direction", "interest_rate"],
    )
    new = product_create_for_test(template="demand_deposit")

    rate = TemplateParameter.objects.get(template=template, definition__code="interest_rate")
    assert (rate.value, rate.is_locked) == ("0.35", True)
    assert not TemplateParameter.objects.get(
        template=template, definition__code="accounting_subject"
    ).is_locked
    values = {p.definition.code: p for p in new.versions.get().parameters.all()}
    assert values["interest_rate"].value == "0.35" and values["interest_rate"].is_locked
    old_rate = old.versions.get().parameters.get(definition__code="interest_rate")
    assert old_rate.value == "0.2"
    with pytest.raises(services.ProductInvalid) as caught:
        product_change_submit(
            product=new,
            submitted_by=parameter_admins_for_test()[0],
            now=timezone.now(),
            parameters={"interest_rate": "1"},
        )
    assert "locked" in caught.value.fields["parameters.interest_rate"][0]


def test_a_template_preset_is_checked_like_a_product_value():
    template = ProductTemplate.objects.get(code="time_deposit")

    with pytest.raises(services.ProductInvalid) as caught:
        services.product_template_update(template=template, parameters={"renewal_count": "x"})

    assert "parameters.renewal_count" in caught.value.fields


# ---------------------------------------------------------------- pages


def test_the_catalogue_page_lists_parameters_by_zone_with_their_use(admin_client, org):
    product_create_for_test()

    response = admin_client.get(reverse("products:catalogue"))

    page = response.content.decode()
    zones = {zone: [d.code for d in rows] for zone, _label, rows in response.context["zones"]}
    assert list(zones) == ["basic", "feature", "control", "accounting"]
    assert "min_opening_amount" in zones["control"]
    assert "term" in zones["feature"]
    assert 'data-testid="zone-accounting"' in page
    assert "Add a parameter to Control" in page
    renewal = next(d for d in response.context["zones"][1][2] if d.code == "renewal_count")
    assert renewal.product_count == 1 and renewal.template_count == 1


def test_the_catalogue_page_runs_a_constant_number_of_queries(
    admin_client, org, django_assert_num_queries
):
    url = reverse("products:catalogue")
    admin_client.get(url)
    with CaptureQueriesContext(connection) as small:
        admin_client.get(url)
    for index in range(6):
        _unused(code=f"extra_{index}", line_codes=["loan", "time_deposit"])
    product_create_for_test()
    product_create_for_test(template="loan")

    with django_assert_num_queries(len(small)):
        response = admin_client.get(url)
    assert "extra_5" in response.content.decode()


def test_teller_may_not_manage_the_catalogue(client, teller):
    client.force_login(teller)

    assert client.get(reverse("products:catalogue")).status_code == 403
    assert client.get(reverse("products:parameter-create")).status_code == 403


def test_adding_a_parameter_to_a_zone_through_the_page(admin_client, org):
    response = admin_client.post(
        reverse("products:parameter-create"),
        {
            "zone": "control",
            "code": "max_daily_withdrawal",
            "label": "Maximum daily withdrawal",
            "data_type": "money",
            "principle_level": "default",
            "min_value": "0 CNY",
            "max_value": "50000 CNY",
            "line_codes": ["demand_deposit"],
            "help_text": "",
            "choices": "",
            "sort_order": "200",
        },
    )

    assert response.status_code == 302
    definition = ParameterDefinition.objects.get(code="max_daily_withdrawal")
    assert (definition.zone, definition.max_value) == ("control", "50000.00 CNY")
    assert [line.code for line in definition.lines.all()] == ["demand_deposit"]
    product = product_create_for_test(
        template="demand_deposit", parameters={"max_daily_withdrawal": "20000 CNY"}
    )
    assert product.versions.get().parameters.filter(definition=definition).exists()


def test_a_bad_new_parameter_shows_errors_next_to_the_fields(admin_client, org):
    response = admin_client.post(
        reverse("products:parameter-create"),
        {
            "zone": "feature",
            "code": "term",  # taken
            "label": "Another term",
            "data_type": "choice",  # without choices
            "principle_level": "default",
            "min_value": "",
            "max_value": "",
            "choices": "",
            "sort_order": "100",
        },
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert "already exists" in form.errors["code"][0]
    assert "at least one choice" in form.errors["choices"][0]
    page = response.content.decode()
    assert 'data-testid="error-code"' in page and 'data-testid="error-choices"' in page
    assert ParameterDefinition.objects.filter(code="term").count() == 1


def test_editing_an_unused_parameter_through_the_page(admin_client, org):
    _unused()
    url = reverse("products:parameter-edit", args=["fee_waiver_days"])

    bad = admin_client.post(
        url,
        {
            "label": "Fee waiver",
            "sort_order": "5",
            "is_active": "on",
            "min_value": "9",
            "max_value": "3",
        },
    )
    good = admin_client.post(
        url,
        {
            "label": "Fee waiver",
            "sort_order": "5",
            "is_active": "on",
            "min_value": "1",
            "max_value": "9",
        },
    )

    assert "below the minimum" in bad.context["form"].errors["max_value"][0]
    assert good.status_code == 302
    definition = ParameterDefinition.objects.get(code="fee_waiver_days")
    assert (definition.label, definition.min_value, definition.max_value) == (
        "Fee waiver",
        "1",
        "9",
    )


def test_a_used_parameter_shows_its_bounds_as_fixed_on_the_edit_page(admin_client, org):
    product_create_for_test()
    url = reverse("products:parameter-edit", args=["renewal_count"])

    page = admin_client.get(url)
    admin_client.post(
        url,
        {"label": "Renewals allowed", "sort_order": "10", "is_active": "on", "max_value": "5"},
    )

    assert page.context["form"].fields["max_value"].disabled
    assert "bounds and choices stay" in page.content.decode()
    definition = ParameterDefinition.objects.get(code="renewal_count")
    assert (definition.label, definition.max_value) == ("Renewals allowed", "99")


def _template_form_data(client, url) -> dict:
    """What the template page submits when nothing is changed."""
    form = client.get(url).context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field, forms.BooleanField):
            if value:
                data[name] = "on"
            continue
        data[name] = "" if value is None else value
    return data


def test_editing_template_presets_and_locks_through_the_page(admin_client, org):
    url = reverse("products:template-edit", args=["time_deposit"])
    data = _template_form_data(admin_client, url)
    data["renewal_count__value"] = "2"
    data["renewal_count__free_max"] = "3"
    data["renewal_count__is_locked"] = "on"

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["form"].errors
    row = TemplateParameter.objects.get(
        template__code="time_deposit", definition__code="renewal_count"
    )
    assert (row.value, row.free_max, row.is_locked) == ("2", "3", True)
    # Balance direction was locked and stays locked (its box was ticked).
    assert TemplateParameter.objects.get(
        template__code="time_deposit", definition__code="balance_direction"
    ).is_locked


def test_a_bad_template_preset_is_shown_next_to_its_field(admin_client, org):
    url = reverse("products:template-edit", args=["time_deposit"])
    data = _template_form_data(admin_client, url)
    data["renewal_count__value"] = "lots"

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert 'data-testid="error-renewal_count"' in response.content.decode()
    assert response.context["active_zone"] == "feature"


# ---------------------------------------------------------------- API


def test_api_edits_a_parameter_definition(param_admin, api_client_for):
    _unused()
    api = api_client_for(param_admin)

    response = api.patch(
        "/api/v1/products/parameters/fee_waiver_days/",
        {"label": "Fee waiver period", "max_value": "45"},
        format="json",
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["label"] == "Fee waiver period"
    assert body["max_value"] == "45"
    assert body["product_count"] == 0


def test_api_refuses_new_bounds_for_a_used_parameter(param_admin, api_client_for, org):
    product_create_for_test()

    response = api_client_for(param_admin).patch(
        "/api/v1/products/parameters/renewal_count/", {"max_value": "5"}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "parameter_definition_in_use"
    assert "max_value" in response.json()["error"]["fields"]


def test_api_refuses_unknown_fields_and_codes_never_change(param_admin, api_client_for):
    _unused()

    response = api_client_for(param_admin).patch(
        "/api/v1/products/parameters/fee_waiver_days/", {"zone": "control"}, format="json"
    )

    assert response.status_code == 400
    assert ParameterDefinition.objects.get(code="fee_waiver_days").zone == "feature"


def test_api_parameter_edit_needs_the_permission(teller, api_client_for):
    _unused()

    response = api_client_for(teller).patch(
        "/api/v1/products/parameters/fee_waiver_days/", {"label": "X"}, format="json"
    )

    assert response.status_code == 403


def test_api_unknown_parameter_is_404(param_admin, api_client_for):
    response = api_client_for(param_admin).get("/api/v1/products/parameters/nope/")

    assert response.status_code == 404
