"""evaluate(): the acceptance cases against the demo rule set and real customers/accounts."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from authorization.models import EvaluatedTransaction
from authorization.services import (
    InvalidTransaction,
    TransactionInput,
    UnknownCustomer,
    evaluate,
)
from authorization.services.evaluation import evaluation_record
from tests.authorization.conftest import money
from tests.customers.factories import CorporateCustomerFactory, PersonalCustomerFactory

pytestmark = pytest.mark.django_db


def withdrawal(
    amount: str, customer_no: str | None = None, channel: str = "counter"
) -> TransactionInput:
    elements = {"amount": money(amount)}
    if customer_no:
        elements["customer_no"] = customer_no
    return TransactionInput(
        transaction_code="CASH_WITHDRAWAL",
        channel=channel,
        elements=elements,
        branch_code="BJ01",
        teller="teller",
    )


def test_60k_counter_withdrawal_for_personal_customer_needs_remote_level_1(demo_rule_set, org):
    customer = PersonalCustomerFactory(home_branch=org["BJ01"])

    decision = evaluate(transaction=withdrawal("60000.00", customer.customer_no)).decision

    assert decision.required and not decision.refused
    assert decision.mode == "remote_centralized"
    assert decision.level == 1
    assert decision.authorizers_required == 1
    assert decision.scene.code == "CASH_WITHDRAWAL"
    assert [i.code for i in decision.required_image_types] == [
        "ID_CARD_FRONT",
        "ID_CARD_BACK",
        "WITHDRAWAL_SLIP",
    ]
    assert "ID_MATCHES" in [p.code for p in decision.review_points]
    assert any(p.mandatory for p in decision.review_points)
    (reason,) = decision.reasons
    assert reason.reason_code == "LARGE_CASH" and reason.rule_code == "CASH_50K"
    assert reason.explanation == "Amount is 60,000.00 CNY (rule: is at least 50,000.00 CNY)"
    assert reason.condition == "Amount is at least 50,000.00 CNY"
    assert reason.expression == "elements.amount ≥ 50,000.00 CNY"
    assert decision.version_number == demo_rule_set.number


def test_10k_withdrawal_is_not_required(demo_rule_set, org):
    customer = PersonalCustomerFactory(home_branch=org["BJ01"])

    decision = evaluate(transaction=withdrawal("10000.00", customer.customer_no)).decision

    assert not decision.required
    assert decision.reasons == ()
    assert decision.required_image_types == ()


def test_200k_withdrawal_needs_level_2_dual(demo_rule_set):
    decision = evaluate(transaction=withdrawal("250000.00")).decision

    assert {r.reason_code for r in decision.reasons} == {"LARGE_CASH", "VERY_LARGE_CASH"}
    assert (decision.mode, decision.level, decision.authorizers_required) == (
        "remote_centralized",
        2,
        2,
    )
    assert decision.time_limit_minutes == 15  # the shortest of the reasons' limits


def test_decisions_for_different_reasons_do_not_leak_into_each_other(demo_rule_set):
    # One compiled rule set keeps what each combination of reasons decides; each answer must
    # still be its own, with explanations for its own amounts.
    answers = [
        evaluate(transaction=withdrawal(amount)).decision
        for amount in ("60000.00", "250000.00", "70000.00", "300000.00")
    ]

    assert [(d.level, d.authorizers_required) for d in answers] == [(1, 1), (2, 2), (1, 1), (2, 2)]
    assert "60,000.00 CNY" in answers[0].reasons[0].explanation
    assert "70,000.00 CNY" in answers[2].reasons[0].explanation
    assert answers[0].required_image_types == answers[2].required_image_types


def test_withdrawal_in_other_currency_does_not_meet_cny_threshold(demo_rule_set):
    decision = evaluate(
        transaction=TransactionInput(
            transaction_code="CASH_WITHDRAWAL",
            channel="counter",
            elements={"amount": money("60000.00", "USD")},
        )
    ).decision

    assert not decision.required


def test_employee_with_expired_document_combines_to_on_site(demo_rule_set, org):
    customer = PersonalCustomerFactory(
        home_branch=org["BJ01"], is_employee=True, vip_level=3, opening_document_expired=True
    )

    decision = evaluate(transaction=withdrawal("60000.00", customer.customer_no)).decision

    reasons = {r.reason_code: r for r in decision.reasons}
    assert set(reasons) == {"LARGE_CASH", "VIP_CUSTOMER", "EMPLOYEE_CUSTOMER", "EXPIRED_ID"}
    assert reasons["EMPLOYEE_CUSTOMER"].explanation == "Internal employee: Yes"
    assert reasons["EMPLOYEE_CUSTOMER"].expression == "customer.is_employee = true"
    assert "VIP level is 3 (rule: is at least 3)" in reasons["VIP_CUSTOMER"].explanation
    # Strictest mode wins: on-site (expired ID) beats remote; the highest level stays 1.
    assert decision.mode == "on_site"
    assert decision.authorizer_role == "branch_supervisor"
    assert decision.level == 1
    assert decision.scene.code == "EXPIRED_ID"
    codes = [i.code for i in decision.required_image_types]
    # Union of the scenes' images: the expired-ID scene's photo and the withdrawal slip.
    assert {"ID_CARD_FRONT", "ID_CARD_BACK", "ONSITE_PHOTO", "WITHDRAWAL_SLIP"} <= set(codes)
    assert len(codes) == len(set(codes))
    assert "ONSITE_PHOTO" not in [i.code for i in decision.optional_image_types]
    points = [p.code for p in decision.review_points]
    assert "NEW_DOCUMENT" in points and "SLIP_AMOUNT" in points


def test_employee_rule_applies_to_any_transaction(demo_rule_set, org):
    customer = PersonalCustomerFactory(home_branch=org["BJ01"], is_employee=True)

    decision = evaluate(
        transaction=TransactionInput(
            transaction_code="CUSTOMER_INFO_CHANGE",
            channel="counter",
            elements={"customer_no": customer.customer_no},
        )
    ).decision

    assert [r.reason_code for r in decision.reasons] == ["EMPLOYEE_CUSTOMER"]
    assert decision.mode == "remote_centralized"
    assert decision.scene.code == "INFO_CHANGE"


def test_corporate_account_opening_needs_licence_and_legal_rep_id(demo_rule_set, org):
    from tests.products.factories import time_deposit_product_for_test

    product = time_deposit_product_for_test()
    company = CorporateCustomerFactory(home_branch=org["BJ01"])

    decision = evaluate(
        transaction=TransactionInput(
            transaction_code="ACCOUNT_OPENING",
            channel="counter",
            elements={"customer_no": company.customer_no, "product_code": product.product_code},
        )
    ).decision

    assert [r.reason_code for r in decision.reasons] == ["CORPORATE_OPENING"]
    assert (decision.mode, decision.level) == ("remote_centralized", 2)
    codes = {i.code for i in decision.required_image_types}
    assert {"BUSINESS_LICENCE", "LEGAL_REP_ID_FRONT", "LEGAL_REP_ID_BACK"} <= codes


def test_reversal_is_always_on_site(demo_rule_set):
    decision = evaluate(
        transaction=TransactionInput(
            transaction_code="REVERSAL",
            channel="counter",
            elements={"original_reference": "T-1"},
        )
    ).decision

    assert decision.required and decision.mode == "on_site"
    assert decision.reasons[0].explanation == "always"


def test_unknown_customer_is_refused_naming_the_element(demo_rule_set):
    with pytest.raises(UnknownCustomer) as caught:
        evaluate(transaction=withdrawal("100.00", "999999999999"))

    assert "elements.customer_no" in caught.value.fields


def test_wrong_element_type_and_unknown_code_are_refused(demo_rule_set):
    with pytest.raises(InvalidTransaction) as caught:
        evaluate(
            transaction=TransactionInput(
                transaction_code="CASH_WITHDRAWAL",
                channel="fax",
                elements={"amount": "lots", "amout": "1"},
            )
        )
    assert set(caught.value.fields) == {"channel", "elements.amount", "elements.amout"}

    with pytest.raises(InvalidTransaction) as caught:
        evaluate(transaction=TransactionInput(transaction_code="NOPE", channel="counter"))
    assert "transaction_code" in caught.value.fields


def test_each_evaluation_is_recorded_with_its_version(demo_rule_set):
    evaluation = evaluate(transaction=withdrawal("60000.00"))

    row = EvaluatedTransaction.objects.get(reference=evaluation.reference)
    assert row.version_id == demo_rule_set.pk
    assert row.required and row.reason_codes == ["LARGE_CASH"]
    assert row.elements == {"amount": money("60000.00")}
    assert row.branch_code == "BJ01" and row.teller == "teller"


def test_the_record_holds_the_decision_and_goes_through_djangos_cursor(demo_rule_set):
    # One path: the INSERT goes through Django's cursor whoever watches, so query counting,
    # DEBUG's log and execute wrappers (tracing) see it.
    with CaptureQueriesContext(connection) as captured:
        evaluation = evaluate(transaction=withdrawal("250000.00"))

    row = EvaluatedTransaction.objects.get(reference=evaluation.reference)
    decision = evaluation.decision
    assert (row.transaction_code, row.channel, row.branch_code, row.teller) == (
        "CASH_WITHDRAWAL",
        "counter",
        "BJ01",
        "teller",
    )
    assert row.elements == {"amount": money("250000.00")}
    assert row.version_id == decision.version_id
    assert (row.required, row.refused, row.mode, row.level) == (
        True,
        False,
        decision.mode,
        decision.level,
    )
    assert row.rule_codes == [reason.rule_code for reason in decision.reasons]
    assert row.reason_codes == sorted({reason.reason_code for reason in decision.reasons})
    assert row.scene_code == decision.scene.code
    assert row.evaluated_at.tzinfo is not None
    inserts = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("INSERT")]
    assert len(inserts) == 1 and EvaluatedTransaction._meta.db_table in inserts[0]


def test_a_failed_record_is_a_database_error_and_writes_nothing(demo_rule_set):
    first = evaluate(transaction=withdrawal("60000.00"))
    count = EvaluatedTransaction.objects.count()

    with pytest.raises(IntegrityError), transaction.atomic():  # the reference is unique
        evaluation_record(
            reference=first.reference,
            transaction=withdrawal("70000.00"),
            decision=first.decision,
            evaluated_at=timezone.now(),
        )
    assert EvaluatedTransaction.objects.count() == count


def test_one_insert_and_no_lookups_when_rules_need_no_facts(
    demo_rule_set, django_assert_max_num_queries
):
    evaluate(transaction=withdrawal("100.00"))  # warm the compiled rule set

    # With the check interval at 0 (tests): one read of the schedule, one INSERT. The global
    # customer rules need a customer number, which this transaction does not carry.
    with django_assert_max_num_queries(2):
        evaluate(transaction=withdrawal("60000.00"))
