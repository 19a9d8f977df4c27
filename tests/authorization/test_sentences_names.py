"""Sentences name the values a condition picks from a table (a transaction, a branch, a
product, a product line) by their names in the reader's language, never by their codes: in
the rule pages, in an evaluate answer's condition and explanation, in a request's snapshot."""

import pytest
from django.urls import reverse
from django.utils import translation

from authorization.models import TransactionElement, TransactionType
from authorization.page_selectors import rule_set_version_content
from authorization.services import TransactionInput, evaluate
from bankcore.models import OrgUnit
from bankcore.roles import Role
from products.models import Product, ProductLine
from tests.authorization.conftest import publish_with_approval
from tests.authorization.factories import AMOUNT, processing, rule, rule_set, transaction
from tests.products.factories import time_deposit_product_for_test

pytestmark = pytest.mark.django_db

PRODUCT_ELEMENT = ("product_code", "Product", "product_code", True)


@pytest.fixture
def product():
    product = time_deposit_product_for_test(name="Steady Saver")
    Product.objects.filter(pk=product.pk).update(name_en="Steady Saver", name_zh_hans="稳盈定存")
    ProductLine.objects.filter(code="time_deposit").update(
        name_en="Time deposit", name_zh_hans="定期存款"
    )
    return product


@pytest.fixture
def version(org, param_admin, second_param_admin, product):
    """A rule on opening a time deposit at Chaoyang that names the transaction, the branch,
    the product and its line by code; the transaction and branch named in both languages."""
    OrgUnit.objects.filter(code="BJ01").update(name_en="Chaoyang", name_zh_hans="朝阳支行")
    condition = {
        "all": [
            {"field": "transaction.code", "op": "eq", "value": "TD_OPEN"},
            {"field": "transaction.branch", "op": "eq", "value": "BJ01"},
            {"field": "elements.product_code", "op": "in", "value": [product.product_code]},
            {"field": "product.line", "op": "eq", "value": "time_deposit"},
        ]
    }
    draft = rule_set(
        (param_admin, second_param_admin),
        published=False,
        transactions=[transaction("TD_OPEN", AMOUNT, PRODUCT_ELEMENT, name="Time deposit opening")],
        rules=[
            rule("TD_AT_CHAOYANG", reason="TD_CHECK", transaction="TD_OPEN", condition=condition)
        ],
        processing=[processing("P_TD_CHECK", reason="TD_CHECK")],
    )
    TransactionType.objects.filter(version=draft, code="TD_OPEN").update(
        name_en="Time deposit opening", name_zh_hans="开立定期存款"
    )
    TransactionElement.objects.filter(transaction_type__version=draft, name="product_code").update(
        label_en="Product", label_zh_hans="产品"
    )
    return publish_with_approval(
        version=draft, proposed_by=param_admin, approved_by=second_param_admin
    )


@pytest.fixture
def teller(make_user):
    return make_user(Role.TELLER, "BJ01", username="teller1")


def open_time_deposit(product):
    return evaluate(
        transaction=TransactionInput(
            transaction_code="TD_OPEN",
            channel="counter",
            branch_code="BJ01",
            teller="teller1",
            elements={
                "amount": {"amount": "10000.00", "currency": "CNY"},
                "product_code": product.product_code,
            },
        )
    )


def rule_sentence(version, language: str) -> str:
    with translation.override(language):
        (row,) = rule_set_version_content(version=version).rules
    return row.condition_text


def test_rule_page_sentence_names_transaction_branch_product_and_line(version, product):
    assert rule_sentence(version, "en") == (
        "Transaction equals Time deposit opening AND Branch equals Chaoyang AND "
        "Product is one of Steady Saver AND Product line equals Time deposit"
    )


def test_rule_page_sentence_reads_chinese_names_in_chinese(version, product):
    sentence = rule_sentence(version, "zh-hans")

    for name in ("开立定期存款", "朝阳支行", "稳盈定存", "定期存款"):
        assert name in sentence
    for code in ("TD_OPEN", "BJ01", product.product_code, "time_deposit", "Chaoyang"):
        assert code not in sentence


def test_version_page_in_chinese_shows_the_chinese_names(version, product, client, param_admin):
    client.force_login(param_admin)
    url = reverse("authorization:version", kwargs={"number": version.number})

    chinese = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "朝阳支行" in chinese and "稳盈定存" in chinese
    assert "Branch equals Chaoyang" in english and "Steady Saver" in english


def test_evaluate_explains_with_the_names(version, product, teller):
    with translation.override("en"):
        (reason,) = open_time_deposit(product).decision.reasons

    assert reason.condition == (
        "Transaction equals Time deposit opening AND Branch equals Chaoyang AND "
        "Product is one of Steady Saver AND Product line equals Time deposit"
    )
    assert reason.explanation == (
        "Transaction is Time deposit opening (rule: equals Time deposit opening); "
        "Branch is Chaoyang (rule: equals Chaoyang); "
        "Product is Steady Saver (rule: is one of Steady Saver); "
        "Product line is Time deposit (rule: equals Time deposit)"
    )
    # Integrators still get the codes, in the technical form.
    assert 'transaction.branch = "BJ01"' in reason.expression


def test_evaluate_in_chinese_explains_with_the_chinese_names(version, product, teller):
    with translation.override("zh-hans"):
        (reason,) = open_time_deposit(product).decision.reasons

    for text in (reason.condition, reason.explanation):
        for name in ("开立定期存款", "朝阳支行", "稳盈定存", "定期存款"):
            assert name in text
        for code in ("TD_OPEN", "BJ01", product.product_code, "time_deposit"):
            assert code not in text


def test_renamed_branch_reads_with_its_new_name(version, product, teller):
    with translation.override("en"):
        (before,) = open_time_deposit(product).decision.reasons
    branch = OrgUnit.objects.get(code="BJ01")
    branch.name_en = "Chaoyang Sub-branch"
    branch.save()

    with translation.override("en"):
        (after,) = open_time_deposit(product).decision.reasons

    assert "Branch is Chaoyang (rule: equals Chaoyang)" in before.explanation
    assert "Branch is Chaoyang Sub-branch (rule: equals Chaoyang Sub-branch)" in after.explanation
    assert "Branch equals Chaoyang Sub-branch" in after.condition
    assert "Branch equals Chaoyang Sub-branch" in rule_sentence(version, "en")


def test_renamed_product_reads_with_its_new_name_in_chinese(version, product, teller):
    with translation.override("zh-hans"):
        open_time_deposit(product)
    renamed = Product.objects.get(pk=product.pk)
    renamed.name_zh_hans = "稳盈定存二号"
    renamed.save()

    with translation.override("zh-hans"):
        (reason,) = open_time_deposit(product).decision.reasons

    assert "稳盈定存二号" in reason.condition and "稳盈定存二号" in reason.explanation


def test_a_code_no_catalogue_knows_reads_as_written(org, param_admin, second_param_admin):
    condition = {"field": "transaction.branch", "op": "eq", "value": "ZZ99"}
    version = rule_set(
        (param_admin, second_param_admin),
        rules=[rule("ELSEWHERE", reason="LARGE_CASH", condition=condition)],
    )

    assert rule_sentence(version, "en") == "Branch equals ZZ99"


def test_request_snapshot_and_its_page_keep_the_chinese_names(version, product, teller, client):
    from authorization.services.requests import request_submit
    from authorization.services.trail import Actor

    with translation.override("zh-hans"):
        evaluation = open_time_deposit(product)
        request = request_submit(
            evaluation_reference=evaluation.reference, actor=Actor(user=teller)
        )
    client.force_login(teller)

    page = client.get(
        reverse("authorization:request", args=[request.reference]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()

    (snapshot,) = request.decision["reasons"]
    assert "朝阳支行" in snapshot["explanation"] and "稳盈定存" in snapshot["condition"]
    reasons = page.split('data-testid="request-reasons"')[1].split("</ul>")[0]
    assert "朝阳支行" in reasons and "稳盈定存" in reasons and "定期存款" in reasons
    assert "BJ01" not in reasons and product.product_code not in reasons


def test_reads_as_preview_names_the_channel_and_branch(
    org, param_admin, second_param_admin, client
):
    import json

    from authorization.models import TriggerRule, TriggerSystem

    OrgUnit.objects.filter(code="BJ01").update(name_en="Chaoyang", name_zh_hans="朝阳支行")
    condition = {
        "all": [
            {"field": "transaction.channel", "op": "eq", "value": "counter"},
            {"field": "customer.home_branch", "op": "in", "value": ["BJ01", "BJ02"]},
        ]
    }
    draft = rule_set(
        (param_admin, second_param_admin),
        published=False,
        rules=[rule("AT_THE_COUNTER", reason="LARGE_CASH", condition=condition)],
    )
    TriggerSystem.objects.filter(version=draft, code="counter").update(
        name_en="Branch counter", name_zh_hans="柜面"
    )
    saved = TriggerRule.objects.get(version=draft, code="AT_THE_COUNTER")
    client.force_login(param_admin)
    url = reverse("authorization:condition-preview", args=[draft.number])
    form = {
        "transaction_type": saved.transaction_type_id,
        "reason": saved.reason_id,
        "condition": json.dumps(condition),
    }

    english = client.post(url, form, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    chinese = client.post(url, form, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert "Channel equals Branch counter" in english
    assert "Customer&#x27;s home branch is one of Chaoyang, Haidian" in english
    assert "柜面" in chinese and "朝阳支行" in chinese
    assert "counter" not in chinese and "BJ01" not in chinese


def test_rule_page_reads_the_names_once_whatever_the_number_of_rules(
    org, param_admin, second_param_admin, product
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bankcore.cache import process_caches_clear

    def branch_rule(number: int, branch: str) -> dict:
        condition = {
            "all": [
                {"field": "transaction.branch", "op": "eq", "value": branch},
                {"field": "product.line", "op": "eq", "value": "time_deposit"},
            ]
        }
        return rule(f"AT_{branch}_{number}", reason="LARGE_CASH", condition=condition)

    def queries(version) -> int:
        process_caches_clear()  # the names are read on this page, not held from before
        with CaptureQueriesContext(connection) as captured, translation.override("en"):
            rows = rule_set_version_content(version=version).rules
        assert all("Product line equals Time deposit" in row.condition_text for row in rows)
        return len(captured)

    admins = (param_admin, second_param_admin)
    one = rule_set(admins, published=False, rules=[branch_rule(1, "BJ01")])
    one_count = queries(one)
    publish_with_approval(version=one, proposed_by=param_admin, approved_by=second_param_admin)
    many = rule_set(
        admins,
        published=False,
        rules=[branch_rule(n, code) for n, code in enumerate(("BJ01", "BJ02", "SH01", "HO"))],
    )

    assert queries(many) == one_count
