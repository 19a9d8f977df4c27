"""Product catalogue texts are edited in both languages and read in the user's."""

import pytest
from django.urls import reverse

from products.models import ParameterDefinition, Product
from tests.products.factories import catalogue_ensure_for_test, product_create_for_test

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, param_admin):
    client.force_login(param_admin)
    return client


def test_a_parameter_label_is_edited_in_both_languages_and_read_in_the_users(admin_client, org):
    catalogue_ensure_for_test()
    url = reverse("products:parameter-edit", args=["renewal_count"])

    admin_client.post(
        url,
        {
            "label": "Renewals allowed",
            "label_zh_hans": "允许续存次数",
            "sort_order": "10",
            "is_active": "on",
        },
    )

    definition = ParameterDefinition.objects.get(code="renewal_count")
    assert (definition.label_en, definition.label_zh_hans) == ("Renewals allowed", "允许续存次数")
    catalogue = reverse("products:catalogue")
    assert (
        "允许续存次数"
        in admin_client.get(catalogue, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    )
    assert (
        "Renewals allowed"
        in admin_client.get(catalogue, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )


def test_the_designer_in_chinese_edits_the_english_name_and_keeps_the_chinese(admin_client, org):
    product = product_create_for_test(publish=False, name="Salary account")
    Product.objects.filter(pk=product.pk).update(name_zh_hans="工资账户")

    form = admin_client.get(
        reverse("products:designer", args=[product.product_code]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).context["form"]

    assert form["name"].value() == "Salary account"  # what saving sets: the English name
