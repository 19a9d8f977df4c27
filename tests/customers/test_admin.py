import pytest
from django.apps import apps
from django.urls import reverse

from tests.customers.factories import CorporateCustomerFactory, PersonalCustomerFactory


@pytest.mark.django_db
def test_admin_lists_every_customers_model(client, make_user, org):
    PersonalCustomerFactory(home_branch=org["BJ01"])
    CorporateCustomerFactory(home_branch=org["BJ01"])
    client.force_login(make_user(None, "HO", is_superuser=True, is_staff=True))

    for model in apps.get_app_config("customers").get_models():
        url = reverse(f"admin:customers_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url
