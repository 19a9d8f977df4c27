from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from bankcore.models import OrgUnit, User


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


@pytest.mark.django_db
def test_seed_demo_twice_creates_nothing_twice():
    call_command("seed_demo", stdout=StringIO())
    first = row_counts()
    call_command("seed_demo", stdout=StringIO())
    assert row_counts() == first


@pytest.mark.django_db
def test_seed_demo_creates_the_organisation_and_one_user_per_role(settings):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert OrgUnit.objects.filter(kind="branch").count() == 2
    assert OrgUnit.objects.filter(kind="outlet").count() == 4
    assert OrgUnit.objects.filter(kind="authorization_center").count() == 1
    levels = dict(
        User.objects.filter(username__startswith="authorizer").values_list(
            "username", "authorization_level"
        )
    )
    assert levels == {"authorizer1": 1, "authorizer2": 2, "authorizer3": 3}
    for username, role in [
        ("teller1", "teller"),
        ("supervisor1", "branch_supervisor"),
        ("manager1", "manager"),
        ("paramadmin1", "parameter_admin"),
        ("integrator1", "integrator"),
    ]:
        assert User.objects.get(username=username).groups.filter(name=role).exists()
    assert User.objects.get(username="admin").is_superuser
    assert "teller1" in out.getvalue() and settings.DEMO_PASSWORD in out.getvalue()
    # Every demo person has a Chinese name (family name first, written whole).
    people = User.objects.exclude(username__in=["admin", "integrator1"])
    assert people.count() >= 10
    for person in people:
        name = person.get_full_name()
        assert name and all("\u4e00" <= ch <= "\u9fff" for ch in name), person.username


@pytest.mark.django_db
def test_demo_users_sign_in_with_the_demo_password(settings):
    call_command("seed_demo", stdout=StringIO())
    request = RequestFactory().post("/accounts/login/")
    assert authenticate(request, username="teller1", password=settings.DEMO_PASSWORD) is not None


@pytest.mark.django_db
def test_no_demo_users_without_seed_demo():
    assert not User.objects.filter(username__in=["teller1", "admin"]).exists()
