"""evaluate(): the acceptance cases, each against the rules it declares, with real
customers/accounts."""

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
from tests.authorization.factories import (
    AMOUNT,
    CUSTOMER_NO,
    amount_at_least,
    processing,
    rule,
    rule_set,
    scene,
)
from tests.authorization.factories import transaction as transaction_type
from tests.customers.factories import CorporateCustomerFactory, PersonalCustomerFactory

pytestmark = pytest.mark.django_db

WITHDRAWAL = transaction_type("CASH_WITHDRAWAL", AMOUNT, CUSTOMER_NO)
# Withdrawal from 50,000 CNY → remote, level 1, one authorizer, 15 minutes.
LARGE_CASH = rule("CASH_50K", reason="LARGE_CASH", condition=amount_at_least("50000.00"))
P_LARGE_CASH = processing("P_LARGE_CASH", reason="LARGE_CASH", level=1, time_limit=15)
# Withdrawal from 200,000 CNY → remote, level 2, two authorizers, 20 minutes.
VERY_LARGE_CASH = rule(
    "CASH_200K", reason="VERY_LARGE_CASH", condition=amount_at_least("200000.00")
)
P_VERY_LARGE_CASH = processing(
    "P_VERY_LARGE_CASH", reason="VERY_LARGE_CASH", level=2, authorizers=2, time_limit=20
)
# Any transaction for an employee → remote, level 1 (a rule without a transaction).
EMPLOYEE = rule(
    "EMPLOYEE",
    reason="EMPLOYEE_CUSTOMER",
    transaction=None,
    condition={"field": "customer.is_employee", "op": "eq", "value": True},
)
P_EMPLOYEE = processing("P_EMPLOYEE", reason="EMPLOYEE_CUSTOMER", level=1, time_limit=30)

IMAGES = {
    "image_types": [
        ("ID_CARD_FRONT", "ID card, front", "customer_id"),
        ("ID_CARD_BACK", "ID card, back", "customer_id"),
        ("WITHDRAWAL_SLIP", "Withdrawal slip", "application_voucher"),
        ("ONSITE_PHOTO", "On-site photo of the customer", "scene_image"),
    ],
    "image_combinations": [("ID_CARD_PAIR", "ID card pair", ["ID_CARD_FRONT", "ID_CARD_BACK"])],
}
# The withdrawal scene: ID card pair and slip required, on-site photo optional.
WITHDRAWAL_SCENE = scene(
    "CASH_WITHDRAWAL",
    transaction="CASH_WITHDRAWAL",
    images=[
        ("ID_CARD_PAIR", "required", 1),
        ("WITHDRAWAL_SLIP", "required", 1),
        ("ONSITE_PHOTO", "optional", 1),
    ],
    review=[
        ("IDENTITY", "Identity", [("ID_MATCHES", "The ID card matches", "mandatory")]),
        ("VOUCHER", "Voucher", [("SLIP_AMOUNT", "The slip's amount", "mandatory")]),
    ],
)


@pytest.fixture
def admins(param_admin, second_param_admin):
    return (param_admin, second_param_admin)


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


def test_60k_counter_withdrawal_for_personal_customer_needs_remote_level_1(admins, org):
    version = rule_set(
        admins,
        transactions=[WITHDRAWAL],
        rules=[LARGE_CASH],
        processing=[P_LARGE_CASH],
        scenes=[WITHDRAWAL_SCENE],
        **IMAGES,
    )
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
    assert decision.version_number == version.number


def test_10k_withdrawal_is_not_required(admins, org):
    rule_set(
        admins,
        transactions=[WITHDRAWAL],
        rules=[LARGE_CASH],
        processing=[P_LARGE_CASH],
        scenes=[WITHDRAWAL_SCENE],
        **IMAGES,
    )
    customer = PersonalCustomerFactory(home_branch=org["BJ01"])

    decision = evaluate(transaction=withdrawal("10000.00", customer.customer_no)).decision

    assert not decision.required
    assert decision.reasons == ()
    assert decision.required_image_types == ()


def test_200k_withdrawal_needs_level_2_dual(admins):
    rule_set(
        admins,
        transactions=[WITHDRAWAL],
        rules=[LARGE_CASH, VERY_LARGE_CASH],
        processing=[P_LARGE_CASH, P_VERY_LARGE_CASH],
        scenes=[WITHDRAWAL_SCENE],
        **IMAGES,
    )
    decision = evaluate(transaction=withdrawal("250000.00")).decision

    assert {r.reason_code for r in decision.reasons} == {"LARGE_CASH", "VERY_LARGE_CASH"}
    assert (decision.mode, decision.level, decision.authorizers_required) == (
        "remote_centralized",
        2,
        2,
    )
    assert decision.time_limit_minutes == 15  # the shortest of the reasons' limits


def test_decisions_for_different_reasons_do_not_leak_into_each_other(admins):
    rule_set(
        admins,
        transactions=[WITHDRAWAL],
        rules=[LARGE_CASH, VERY_LARGE_CASH],
        processing=[P_LARGE_CASH, P_VERY_LARGE_CASH],
        scenes=[WITHDRAWAL_SCENE],
        **IMAGES,
    )
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


def test_withdrawal_in_other_currency_does_not_meet_cny_threshold(admins):
    rule_set(admins, transactions=[WITHDRAWAL], rules=[LARGE_CASH], processing=[P_LARGE_CASH])
    decision = evaluate(
        transaction=TransactionInput(
            transaction_code="CASH_WITHDRAWAL",
            channel="counter",
            elements={"amount": money("60000.00", "USD")},
        )
    ).decision

    assert not decision.required


def test_employee_with_expired_document_combines_to_on_site(admins, org):
    rule_set(
        admins,
        transactions=[WITHDRAWAL],
        rules=[
            LARGE_CASH,
            # VIP level 3 or more and 20,000 CNY or more → remote, level 1.
            rule(
                "VIP_20K",
                reason="VIP_CUSTOMER",
                condition={
                    "all": [
                        {"field": "customer.vip_level", "op": "gte", "value": 3},
                        amount_at_least("20000.00"),
                    ]
                },
            ),
            EMPLOYEE,
            # An expired ID document, any transaction → on site, branch supervisor.
            rule(
                "EXPIRED_ID",
                reason="EXPIRED_ID",
                transaction=None,
                condition={"field": "customer.has_expired_document", "op": "eq", "value": True},
            ),
        ],
        processing=[
            P_LARGE_CASH,
            processing("P_VIP", reason="VIP_CUSTOMER", level=1, time_limit=10),
            P_EMPLOYEE,
            processing(
                "P_EXPIRED_ID",
                reason="EXPIRED_ID",
                mode="on_site",
                role="branch_supervisor",
                scene="EXPIRED_ID",
            ),
        ],
        scenes=[
            WITHDRAWAL_SCENE,
            # The expired-ID scene: ID card pair and on-site photo required.
            scene(
                "EXPIRED_ID",
                transaction=None,
                images=[("ID_CARD_PAIR", "required", 1), ("ONSITE_PHOTO", "required", 1)],
                review=[
                    ("IDENTITY", "Identity", [("NEW_DOCUMENT", "A new document", "mandatory")])
                ],
            ),
        ],
        **IMAGES,
    )
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


def test_employee_rule_applies_to_any_transaction(admins, org):
    rule_set(
        admins,
        transactions=[
            WITHDRAWAL,
            transaction_type(
                "CUSTOMER_INFO_CHANGE",
                ("customer_no", "Customer number", "customer_no", True),
                business_type="customer",
            ),
        ],
        rules=[LARGE_CASH, EMPLOYEE],
        processing=[P_LARGE_CASH, P_EMPLOYEE],
        scenes=[
            WITHDRAWAL_SCENE,
            scene(
                "INFO_CHANGE",
                transaction="CUSTOMER_INFO_CHANGE",
                business_type="customer",
                images=[("ID_CARD_PAIR", "required", 1)],
            ),
        ],
        **IMAGES,
    )
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


def test_corporate_account_opening_needs_licence_and_legal_rep_id(admins, org):
    # Opening for a corporate customer → remote, level 2, in the corporate-opening scene:
    # business licence and the legal representative's ID pair required.
    rule_set(
        admins,
        transactions=[
            transaction_type(
                "ACCOUNT_OPENING",
                ("customer_no", "Customer number", "customer_no", True),
                ("product_code", "Product", "product_code", True),
                business_type="account",
            )
        ],
        rules=[
            rule(
                "CORPORATE_OPENING",
                reason="CORPORATE_OPENING",
                transaction="ACCOUNT_OPENING",
                condition={"field": "customer.customer_type", "op": "eq", "value": "corporate"},
            )
        ],
        processing=[
            processing(
                "P_CORPORATE_OPENING",
                reason="CORPORATE_OPENING",
                level=2,
                scene="CORPORATE_OPENING",
            )
        ],
        image_types=[
            ("BUSINESS_LICENCE", "Business licence", "customer_id"),
            ("LEGAL_REP_ID_FRONT", "Legal representative's ID card, front", "customer_id"),
            ("LEGAL_REP_ID_BACK", "Legal representative's ID card, back", "customer_id"),
        ],
        image_combinations=[
            (
                "LEGAL_REP_ID_PAIR",
                "Legal representative's ID pair",
                ["LEGAL_REP_ID_FRONT", "LEGAL_REP_ID_BACK"],
            )
        ],
        scenes=[
            scene(
                "CORPORATE_OPENING",
                transaction=None,
                business_type="account",
                images=[("BUSINESS_LICENCE", "required", 1), ("LEGAL_REP_ID_PAIR", "required", 1)],
            )
        ],
    )
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


def test_reversal_is_always_on_site(admins):
    # Every reversal → on site, branch supervisor.
    rule_set(
        admins,
        transactions=[
            transaction_type(
                "REVERSAL",
                ("original_reference", "Original transaction", "string", True),
                business_type="general",
            )
        ],
        rules=[rule("REVERSAL", reason="REVERSAL", transaction="REVERSAL", condition={"all": []})],
        processing=[
            processing("P_REVERSAL", reason="REVERSAL", mode="on_site", role="branch_supervisor")
        ],
    )
    decision = evaluate(
        transaction=TransactionInput(
            transaction_code="REVERSAL",
            channel="counter",
            elements={"original_reference": "T-1"},
        )
    ).decision

    assert decision.required and decision.mode == "on_site"
    assert decision.reasons[0].explanation == "always"


def test_unknown_customer_is_refused_naming_the_element(admins):
    rule_set(admins, transactions=[WITHDRAWAL], rules=[EMPLOYEE], processing=[P_EMPLOYEE])
    with pytest.raises(UnknownCustomer) as caught:
        evaluate(transaction=withdrawal("100.00", "999999999999"))

    assert "elements.customer_no" in caught.value.fields


def test_wrong_element_type_and_unknown_code_are_refused(admins):
    rule_set(admins, transactions=[WITHDRAWAL], rules=[LARGE_CASH], processing=[P_LARGE_CASH])
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


def test_each_evaluation_is_recorded_with_its_version(admins):
    version = rule_set(
        admins, transactions=[WITHDRAWAL], rules=[LARGE_CASH], processing=[P_LARGE_CASH]
    )
    evaluation = evaluate(transaction=withdrawal("60000.00"))

    row = EvaluatedTransaction.objects.get(reference=evaluation.reference)
    assert row.version_id == version.pk
    assert row.required and row.reason_codes == ["LARGE_CASH"]
    assert row.elements == {"amount": money("60000.00")}
    assert row.branch_code == "BJ01" and row.teller == "teller"


def test_the_record_holds_the_decision_and_goes_through_djangos_cursor(admins):
    rule_set(
        admins,
        transactions=[WITHDRAWAL],
        rules=[LARGE_CASH, VERY_LARGE_CASH],
        processing=[P_LARGE_CASH, P_VERY_LARGE_CASH],
        scenes=[WITHDRAWAL_SCENE],
        **IMAGES,
    )
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


def test_a_failed_record_is_a_database_error_and_writes_nothing(admins):
    rule_set(admins, transactions=[WITHDRAWAL], rules=[LARGE_CASH], processing=[P_LARGE_CASH])
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


def test_one_insert_and_no_lookups_when_rules_need_no_facts(admins, django_assert_max_num_queries):
    rule_set(
        admins,
        transactions=[WITHDRAWAL],
        rules=[LARGE_CASH, EMPLOYEE],
        processing=[P_LARGE_CASH, P_EMPLOYEE],
    )
    evaluate(transaction=withdrawal("100.00"))  # warm the compiled rule set

    # With the check interval at 0 (tests): one read of the schedule, one INSERT. The employee
    # rule (no transaction) needs a customer number, which this transaction does not carry.
    with django_assert_max_num_queries(2):
        evaluate(transaction=withdrawal("60000.00"))
