"""A request's decision reads in the reader's language: the scene, image types, review points,
reasons, rules, conditions and explanations are kept in every language at submission (as they
read then), and the review page, the request page and the request API show them in the
language of whoever reads, whatever the submitter's; a request kept in one language only
still reads as it was stored."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from authorization.decision_texts import decision_in_language
from authorization.models import AuthorizationRequest, RequestState
from authorization.services import TransactionInput, evaluate
from authorization.services.requests import request_resubmit, request_submit
from authorization.services.trail import Actor, trail_verify
from bankcore.models import OrgUnit
from bankcore.roles import Role
from tests.authorization.factories import amount_at_least, rule, withdrawal_rule_set
from tests.authorization.request_fixtures import *  # noqa: F403

API = "/api/v1/authorization"

# The withdrawal desk's catalogue in Chinese (English text → Chinese text).
CHINESE = {
    "Cash withdrawal": "现金取款",
    "Amount": "金额",
    "Customer number": "客户号",
    "Large cash": "大额现金",
    "Very large cash": "超大额现金",
    "Cash withdrawal from 50,000 CNY": "五万元起的现金取款",
    "Cash withdrawal from 200,000 CNY": "二十万元起的现金取款",
    "ID card, front": "身份证正面",
    "ID card, back": "身份证反面",
    "ID card pair": "身份证正反面",
    "Withdrawal slip": "取款凭条",
    "On-site photo of the customer": "客户现场照片",
    "Identity": "身份核验",
    "Voucher": "凭证核验",
    "The ID card matches the customer": "身份证与客户本人一致",
    "The ID card is within its validity period": "身份证在有效期内",
    "The slip's amount equals the entered amount": "凭条金额与录入金额一致",
    "The slip is signed by the customer": "凭条有客户签名",
    "The purpose of a large withdrawal is plausible": "大额取款用途合理",
    "Counter": "柜面",
    "Mobile": "手机银行",
}
# What the request shows of its catalogue: the scene, the reason, the image types asked for
# and the review points (English, Chinese).
SHOWN = [
    ("Cash withdrawal", "现金取款"),
    ("Large cash", "大额现金"),
    ("ID card, front", "身份证正面"),
    ("Withdrawal slip", "取款凭条"),
    ("The ID card matches the customer", "身份证与客户本人一致"),
    ("The slip is signed by the customer", "凭条有客户签名"),
]


@pytest.fixture
def bilingual_withdrawal_rules(db, param_admin, second_param_admin, reason_catalogue):
    return withdrawal_rule_set((param_admin, second_param_admin), zh_hans=CHINESE)


def _withdrawal(teller: str = "teller1") -> TransactionInput:
    return TransactionInput(
        transaction_code="CASH_WITHDRAWAL",
        channel="counter",
        branch_code="BJ01",
        teller=teller,
        elements={"amount": {"amount": "60000.00", "currency": "CNY"}},
    )


def _submitted_in(language: str, teller) -> AuthorizationRequest:
    with translation.override(language):
        evaluation = evaluate(transaction=_withdrawal(teller.username))
        return request_submit(evaluation_reference=evaluation.reference, actor=Actor(user=teller))


def _explanation_in(language: str) -> str:
    """The explanation of the 50,000 CNY rule as the engine writes it in `language`."""
    with translation.override(language):
        (reason,) = evaluate(transaction=_withdrawal(), record=False).decision.reasons
    return reason.explanation


def _section(page: str, testid: str) -> str:
    return page.split(f'data-testid="{testid}"')[1].split("</ul>")[0].split("</dl>")[0]


def _review_page(client, user, request, language: str) -> str:
    client.force_login(user)
    url = reverse("authorization:review-task", args=[request.reference])
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def test_chinese_authorizer_reads_an_english_tellers_request_in_chinese(
    bilingual_withdrawal_rules, teller1, authorizer1, client
):
    request = _submitted_in("en", teller1)
    chinese_explanation = _explanation_in("zh-hans")
    english_explanation = _explanation_in("en")

    page = _review_page(client, authorizer1, request, "zh-hans")

    reasons = _section(page, "request-reasons")
    assert "大额现金" in reasons and chinese_explanation in reasons
    assert "金额" in chinese_explanation and english_explanation not in reasons
    assert "现金取款" in _section(page, "request-elements")
    for english, chinese in SHOWN:
        assert chinese in page
        assert english not in page, f"English catalogue name on a Chinese page: {english}"


def test_english_authorizer_reads_a_chinese_tellers_request_in_english(
    bilingual_withdrawal_rules, teller1, authorizer1, client
):
    request = _submitted_in("zh-hans", teller1)
    english_explanation = _explanation_in("en")

    page = _review_page(client, authorizer1, request, "en")

    reasons = _section(page, "request-reasons")
    assert "Large cash" in reasons and english_explanation in reasons
    assert "Cash withdrawal" in _section(page, "request-elements")
    for english, chinese in SHOWN:
        assert english in page
        assert chinese not in page, f"Chinese catalogue name on an English page: {chinese}"


def test_teller_reads_their_request_page_in_the_language_they_switch_to(
    bilingual_withdrawal_rules, teller1, client
):
    request = _submitted_in("en", teller1)
    client.force_login(teller1)
    url = reverse("authorization:request", args=[request.reference])

    chinese = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "大额现金" in _section(chinese, "request-reasons")
    assert "身份证正面" in chinese and "ID card, front" not in chinese
    assert "Large cash" in _section(english, "request-reasons")
    assert "ID card, front" in english and "身份证正面" not in english


@pytest.mark.parametrize(
    ("submitted_in", "read_in", "names"),
    [
        ("en", "zh-hans", [chinese for _, chinese in SHOWN]),
        ("zh-hans", "en", [english for english, _ in SHOWN]),
    ],
)
def test_request_api_answers_the_decision_in_the_accept_language(
    bilingual_withdrawal_rules, teller1, authorizer1, api_client_for, submitted_in, read_in, names
):
    request = _submitted_in(submitted_in, teller1)

    body = api_client_for(authorizer1).get(
        f"{API}/requests/{request.reference}", HTTP_ACCEPT_LANGUAGE=read_in
    )

    assert body.status_code == 200
    decision = body.json()["decision"]
    assert decision["language"] == read_in and "texts" not in decision
    (reason,) = decision["reasons"]
    assert reason["explanation"] == _explanation_in(read_in)
    assert reason["rule_name"] == (
        "五万元起的现金取款" if read_in == "zh-hans" else "Cash withdrawal from 50,000 CNY"
    )
    shown = [
        decision["scene"]["name"],
        reason["reason_name"],
        *(image["name"] for image in decision["required_image_types"]),
        *(point["text"] for point in decision["review_points"]),
    ]
    assert set(names) <= set(shown)
    missing = {image["name"] for image in body.json()["missing_images"]}
    assert names[2] in missing


def test_the_snapshot_keeps_the_names_as_they_read_at_submission(
    org, param_admin, second_param_admin, reason_catalogue, teller1, authorizer1, client
):
    # A branch's name may change while the rule set stays in force; the request keeps the
    # explanation as it read when it was submitted, in both languages.
    at_chaoyang = {"field": "transaction.branch", "op": "eq", "value": "BJ01"}
    condition = {"all": [amount_at_least("50000.00"), at_chaoyang]}
    withdrawal_rule_set(
        (param_admin, second_param_admin),
        rules=[rule("CASH_50K_BJ01", reason="LARGE_CASH", condition=condition)],
        zh_hans=CHINESE,
    )
    branch = OrgUnit.objects.get(code="BJ01")
    branch.name_en, branch.name_zh_hans = "Chaoyang", "朝阳支行"
    branch.save()
    request = _submitted_in("en", teller1)
    branch.name_en, branch.name_zh_hans = "Chaoyang Sub-branch", "朝阳分理处"
    branch.save()

    chinese = _section(_review_page(client, authorizer1, request, "zh-hans"), "request-reasons")
    english = _section(_review_page(client, authorizer1, request, "en"), "request-reasons")

    assert "朝阳支行" in chinese and "朝阳分理处" not in chinese
    assert "Chaoyang" in english and "Chaoyang Sub-branch" not in english
    assert "朝阳分理处" in _explanation_in("zh-hans")  # a new evaluation names the new name


def test_a_request_kept_in_one_language_still_reads_as_it_was_stored(
    bilingual_withdrawal_rules, teller1, authorizer1, client, api_client_for
):
    request = _submitted_in("en", teller1)
    old_style = {k: v for k, v in request.decision.items() if k not in ("texts", "language")}
    AuthorizationRequest.objects.filter(pk=request.pk).update(decision=old_style)

    page = _review_page(client, authorizer1, request, "zh-hans")
    body = api_client_for(authorizer1).get(
        f"{API}/requests/{request.reference}", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )

    assert "Large cash" in _section(page, "request-reasons")
    assert "Cash withdrawal" in _section(page, "request-elements")
    assert body.status_code == 200 and body.json()["decision"] == old_style


def test_the_trail_of_requests_with_either_snapshot_verifies(
    bilingual_withdrawal_rules, teller1, make_user
):
    # The snapshot is not part of the hash chain: the trail verifies for a request kept in
    # every language and for one kept in one language only.
    new_style = _submitted_in("en", teller1)
    old_style = _submitted_in("zh-hans", make_user(Role.TELLER, "BJ01", username="teller2"))
    AuthorizationRequest.objects.filter(pk=old_style.pk).update(
        decision={k: v for k, v in old_style.decision.items() if k != "texts"}
    )

    report = trail_verify(references=[new_style.reference, old_style.reference])

    assert report.ok, report
    assert set(new_style.decision["texts"]) == {"en", "zh-hans"}


def test_corrected_elements_are_decided_again_in_every_language(
    bilingual_withdrawal_rules, teller1, authorizer1, api_client_for
):
    request = _submitted_in("en", teller1)
    # Returned for supplement (the state is what matters here, not how the authorizer got
    # there: the page tests walk that path).
    AuthorizationRequest.objects.filter(pk=request.pk).update(state=RequestState.RETURNED)
    with translation.override("zh-hans"):
        request_resubmit(
            reference=request.reference,
            actor=Actor(user=teller1),
            corrected_elements={"amount": {"amount": "250000.00", "currency": "CNY"}},
        )

    def reason_names(language: str) -> set[str]:
        body = api_client_for(authorizer1).get(
            f"{API}/requests/{request.reference}", HTTP_ACCEPT_LANGUAGE=language
        )
        return {reason["reason_name"] for reason in body.json()["decision"]["reasons"]}

    assert reason_names("en") == {"Large cash", "Very large cash"}
    assert reason_names("zh-hans") == {"大额现金", "超大额现金"}


def test_keeping_every_language_costs_no_query_at_submission(
    bilingual_withdrawal_rules, teller1, make_user, settings
):
    _submitted_in("en", teller1)  # compiles the version, every language at once

    def queries_of_a_submission(username: str) -> tuple[int, set[str]]:
        teller = make_user(Role.TELLER, "BJ01", username=username)
        with translation.override("en"):
            evaluation = evaluate(transaction=_withdrawal(username))
            with CaptureQueriesContext(connection) as captured:
                request = request_submit(
                    evaluation_reference=evaluation.reference, actor=Actor(user=teller)
                )
        return len(captured), set(request.decision["texts"])

    settings.LANGUAGES = [("en", "English")]
    english_only = queries_of_a_submission("teller2")
    settings.LANGUAGES = [("en", "English"), ("zh-hans", "Simplified Chinese")]
    every_language = queries_of_a_submission("teller3")

    assert english_only[1] == {"en"} and every_language[1] == {"en", "zh-hans"}
    assert every_language[0] == english_only[0]


@pytest.mark.parametrize(("language", "kept"), [("zh-cn", "zh-hans"), ("en-gb", "en")])
def test_a_regional_language_reads_the_texts_of_its_language(language, kept):
    snapshot = {
        "scene": {"code": "S", "name": "Scene"},
        "reasons": [{"rule": "R", "reason_name": "Reason", "explanation": "Why"}],
        "language": "en",
        "texts": {
            "en": {"scene": "Scene", "reasons": {"R": {"reason_name": "Reason"}}},
            "zh-hans": {"scene": "场景", "reasons": {"R": {"reason_name": "原因"}}},
        },
    }

    shown = decision_in_language(snapshot, language)

    assert shown["language"] == kept and "texts" not in shown
    assert shown["scene"]["name"] == ("场景" if kept == "zh-hans" else "Scene")
    assert shown["reasons"][0]["reason_name"] == ("原因" if kept == "zh-hans" else "Reason")
    assert shown["reasons"][0]["explanation"] == "Why"  # a text the language lacks: as stored
