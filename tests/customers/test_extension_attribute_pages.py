"""The parameter administrators' page for extension attributes: list, define, deactivate."""

import pytest
from django.urls import reverse

from customers import services
from customers.models import ExtensionAttribute
from customers.services import customer_extensions_set
from customers.validation import ExtensionValueInvalid
from tests.customers.factories import PersonalCustomerFactory

pytestmark = pytest.mark.django_db

LIST = reverse("customers:extension-attributes")


def _define(code="risk_rating", **kwargs):
    defaults = {
        "scope": "personal",
        "label": "AML risk rating",
        "data_type": "choice",
        "choices": ["low", "medium", "high"],
    }
    defaults.update(kwargs)
    return services.extension_attribute_create(code=code, **defaults)


def _form(**overrides):
    data = {
        "scope": "personal",
        "code": "children",
        "label": "Number of children",
        "data_type": "integer",
        "min_value": "0",
        "max_value": "20",
        "choices": "",
        "display_order": "100",
    }
    data.update(overrides)
    return data


def test_parameter_admin_finds_the_page_in_the_navigation(client, param_admin):
    client.force_login(param_admin)

    page = client.get(reverse("customers:search")).content.decode()

    assert f'href="{LIST}"' in page


def test_parameter_admin_defines_an_attribute_that_customers_then_carry(client, param_admin, org):
    client.force_login(param_admin)

    response = client.post(LIST, _form())

    assert response.status_code == 302
    attribute = ExtensionAttribute.objects.get(code="children")
    assert (attribute.data_type, attribute.min_value, attribute.max_value) == ("integer", "0", "20")
    customer = PersonalCustomerFactory(home_branch=org["BJ01"])
    with pytest.raises(ExtensionValueInvalid):
        customer_extensions_set(customer=customer, values={"children": "two"}, changed_by=None)


def test_choices_are_entered_one_per_line(client, param_admin):
    client.force_login(param_admin)

    client.post(
        LIST,
        _form(
            code="segment",
            data_type="choice",
            min_value="",
            max_value="",
            choices="mass\r\naffluent\r\n\r\nprivate",
        ),
    )

    assert ExtensionAttribute.objects.get(code="segment").choices == [
        "mass",
        "affluent",
        "private",
    ]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"code": "not a slug"}, "code"),
        ({"label": ""}, "label"),
        ({"min_value": "zero"}, "min_value"),
        ({"data_type": "choice", "min_value": "", "max_value": "", "choices": ""}, "choices"),
        ({"data_type": "date", "min_value": "2020-13-01", "max_value": ""}, "min_value"),
    ],
)
def test_invalid_definition_is_shown_next_to_the_field(client, param_admin, overrides, field):
    client.force_login(param_admin)

    response = client.post(LIST, _form(**overrides))

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert f'data-testid="error-{field}"' in response.content.decode()
    assert not ExtensionAttribute.objects.exists()


def test_a_code_already_taken_is_shown_next_to_the_code(client, param_admin):
    _define(code="children", data_type="integer", choices=[])
    client.force_login(param_admin)

    response = client.post(LIST, _form())

    assert response.status_code == 200
    assert "code" in response.context["form"].errors
    assert ExtensionAttribute.objects.count() == 1


def test_deactivated_attribute_is_no_longer_offered_or_accepted_and_can_come_back(
    client, param_admin, org
):
    attribute = _define()
    customer = PersonalCustomerFactory(home_branch=org["BJ01"])
    customer_extensions_set(customer=customer, values={"risk_rating": "low"}, changed_by=None)
    client.force_login(param_admin)
    toggle = reverse("customers:extension-attribute-active", args=[attribute.pk])

    response = client.post(toggle, {"is_active": "false"})

    assert response.status_code == 302
    assert services.extension_attributes_for("personal") == []
    with pytest.raises(ExtensionValueInvalid):
        customer_extensions_set(customer=customer, values={"risk_rating": "high"}, changed_by=None)
    page = client.get(LIST).content.decode()
    assert "Inactive" in page and "Reactivate" in page

    client.post(toggle, {"is_active": "true"})
    assert [a.code for a in services.extension_attributes_for("personal")] == ["risk_rating"]
    assert customer.extension_values.get().value == "low"  # the stored value was kept


def test_deactivating_an_unknown_attribute_is_404(client, param_admin):
    client.force_login(param_admin)

    response = client.post(
        reverse("customers:extension-attribute-active", args=[999]), {"is_active": "false"}
    )

    assert response.status_code == 404


def test_tellers_may_not_see_or_change_definitions(client, teller):
    attribute = _define()
    client.force_login(teller)

    assert client.get(LIST).status_code == 403
    assert client.post(LIST, _form()).status_code == 403
    toggle = reverse("customers:extension-attribute-active", args=[attribute.pk])
    assert client.post(toggle, {"is_active": "false"}).status_code == 403
    attribute.refresh_from_db()
    assert attribute.is_active


def test_login_is_required(client):
    response = client.get(LIST)

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("count", [1, 15])
def test_the_list_runs_a_constant_number_of_queries(
    client, param_admin, count, django_assert_num_queries
):
    for i in range(count):
        _define(code=f"attr_{i}", label=f"Attribute {i}", data_type="text", choices=[])
    client.force_login(param_admin)
    client.get(LIST)

    with django_assert_num_queries(6):
        response = client.get(LIST)

    assert response.content.decode().count('data-testid="attribute-attr_') == count
