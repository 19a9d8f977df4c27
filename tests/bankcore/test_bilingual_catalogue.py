"""Catalogue and reference data in Simplified Chinese and English: every declared catalogue's
rows have both on the seeded demo data, a model with user-facing names cannot stay out of the
registry, pages show the names in the user's language, and evaluation picks them from the
compiled rule set without a query."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation

from authorization.selectors import rule_set_in_force
from authorization.services import TransactionInput, evaluate
from bankcore.catalogues import catalogue_models, localized_field
from bankcore.money import Money

# Texts a user reads are held in fields with these names.
TEXT_FIELDS = {"name", "label", "text", "help_text", "description"}
# Models with such a field that are not catalogues: names of people and companies (the same in
# every language), an integrator's own label for a webhook, an element's code (its label is
# the translated text) and the reports' instrumentation event names (codes nobody reads).
NOT_CATALOGUES = {
    ("customers", "personalcustomer", "name"),
    ("customers", "corporatecustomer", "name"),
    ("customers", "internalcustomer", "name"),
    ("authorization", "webhooksubscription", "name"),
    ("authorization", "transactionelement", "name"),
    ("reports", "instrumentationevent", "name"),
}
OUR_APPS = ("bankcore", "customers", "products", "imaging", "authorization", "reports")
# Help texts and descriptions may be empty; a name may not.
OPTIONAL_TEXTS = {"help_text", "description"}


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_every_model_with_user_facing_text_is_a_declared_catalogue():
    declared = {
        (m._meta.app_label, m._meta.model_name, f)
        for m, fs in catalogue_models().items()
        for f in fs
    }
    undeclared = []
    for app_label in OUR_APPS:
        for model in apps.get_app_config(app_label).get_models():
            for field in model._meta.concrete_fields:
                if field.name not in TEXT_FIELDS or not isinstance(
                    field, (models.CharField, models.TextField)
                ):
                    continue
                key = (app_label, model._meta.model_name, field.name)
                if key not in declared and key not in NOT_CATALOGUES:
                    undeclared.append(".".join(key))
    assert undeclared == [], f"catalogue texts kept in one language only: {undeclared}"


def test_every_catalogue_row_of_the_demo_data_has_chinese_and_english(demo):
    missing = []
    for model, fields in catalogue_models().items():
        rows = list(model.objects.all())
        assert rows, f"{model._meta.label} has no demo rows to check"
        for row in rows:
            for field in fields:
                english = getattr(row, localized_field(field, "en"))
                chinese = getattr(row, localized_field(field, "zh-hans"))
                if field in OPTIONAL_TEXTS and not english:
                    if chinese:
                        missing.append(f"{model._meta.label} {row.pk} {field}: Chinese only")
                    continue
                if not english:
                    missing.append(f"{model._meta.label} {row.pk} {field}: no English")
                if not chinese:
                    missing.append(f"{model._meta.label} {row.pk} {field}: no Chinese ({english})")
                elif chinese == english:
                    missing.append(
                        f"{model._meta.label} {row.pk} {field}: untranslated ({english})"
                    )
    assert missing == []


def test_a_chinese_interface_shows_catalogue_names_in_chinese(demo, client):
    client.force_login(apps.get_model("bankcore", "User").objects.get(username="teller1"))
    url = reverse("authorization:request-new")
    chinese = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "现金取款" in chinese and "Cash withdrawal" not in chinese
    assert "Cash withdrawal" in english and "现金取款" not in english


def _withdrawal():
    return TransactionInput(
        transaction_code="CASH_WITHDRAWAL",
        channel="counter",
        branch_code="BJ01",
        teller="teller1",
        elements={"amount": {"amount": "60000.00", "currency": "CNY"}},
    )


def test_evaluation_names_reasons_images_and_points_in_the_callers_language(demo):
    with translation.override("zh-hans"):
        chinese = evaluate(transaction=_withdrawal(), record=False).decision
    with translation.override("en"):
        english = evaluate(transaction=_withdrawal(), record=False).decision
    assert [r.reason_name for r in chinese.reasons] == ["大额取现（≥ 50,000 元）"]
    assert [r.reason_name for r in english.reasons] == ["Large cash withdrawal (≥ 50,000 CNY)"]
    assert chinese.scene.name == "现金取款" and english.scene.name == "Cash withdrawal"
    assert "身份证正面" in [i.name for i in chinese.required_image_types]
    assert "ID card, front" in [i.name for i in english.required_image_types]
    assert "凭条有客户签名" in [p.text for p in chinese.review_points]


def test_names_in_either_language_cost_no_query_once_compiled(demo, django_assert_num_queries):
    now = timezone.now()
    rule_set_in_force(now=now)  # compiles the version in force, both languages at once
    for language in ("zh-hans", "en", "zh-hans"):
        with translation.override(language), django_assert_num_queries(0):
            rule_set = rule_set_in_force(now=now)
            decision = rule_set.decide("CASH_WITHDRAWAL", "counter", {"elements.amount": _amount()})
        assert decision.required


def _amount():
    return Money(Decimal("60000.00"), "CNY")


def test_the_admin_edits_a_catalogue_row_in_both_languages(admin_client):
    from customers.models import DocumentType

    passport = DocumentType.objects.get(code="110")
    url = reverse("admin:customers_documenttype_change", args=[passport.pk])

    form = admin_client.get(url).content.decode()

    assert 'name="name_en"' in form and 'name="name_zh_hans"' in form
    assert "中华人民共和国护照" in form


def test_a_new_draft_keeps_both_languages_and_its_forms_edit_both(demo, client):
    from authorization.models import RuleSetVersion, TransactionType
    from authorization.services import rule_set_draft_create

    admin = apps.get_model("bankcore", "User").objects.get(username="paramadmin1")
    draft = rule_set_draft_create(created_by=admin, note="Next")
    withdrawal = TransactionType.objects.get(version=draft, code="CASH_WITHDRAWAL")
    assert (withdrawal.name_en, withdrawal.name_zh_hans) == ("Cash withdrawal", "现金取款")
    client.force_login(admin)
    url = reverse("authorization:item-edit", args=[draft.number, "transactions", withdrawal.pk])

    page = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    client.post(
        url,
        {
            "code": "CASH_WITHDRAWAL",
            "name_en": "Cash withdrawal at the counter",
            "name_zh_hans": "柜面现金取款",
            "business_type": "deposit",
        },
    )

    assert 'name="name_en"' in page and 'name="name_zh_hans"' in page
    withdrawal.refresh_from_db()
    assert (withdrawal.name_en, withdrawal.name_zh_hans) == (
        "Cash withdrawal at the counter",
        "柜面现金取款",
    )
    assert RuleSetVersion.objects.get(pk=draft.pk).is_draft
