import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

OUR_APPS = ("bankcore", "customers", "products", "imaging", "authorization", "reports")


def our_models():
    for label in OUR_APPS:
        yield from apps.get_app_config(label).get_models()


def test_every_model_of_ours_is_in_the_admin():
    missing = [model._meta.label for model in our_models() if not admin.site.is_registered(model)]
    assert missing == []


@pytest.mark.django_db
def test_admin_lists_and_add_forms_open_for_every_model(client, make_user, org):
    superuser = make_user(None, "HO", is_superuser=True, is_staff=True)
    client.force_login(superuser)
    for model in our_models():
        opts = model._meta
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        assert client.get(changelist).status_code == 200, changelist
        if admin.site._registry[model].has_add_permission(_request_for(superuser)):
            add = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
            assert client.get(add).status_code == 200, add


def _request_for(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    return request
