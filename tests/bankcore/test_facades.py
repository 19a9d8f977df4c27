"""Each app's facade (`<app>/facade.py`) is the only module other apps import (import-linter's
doors). What it answers crosses the app boundary, so it must be plain: frozen dataclasses
(with slots) and plain values, never a model instance or a queryset. One small seeded case
calls every function a facade names; a new function must be called here too."""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import models
from django.utils import timezone

import authorization.facade
import customers.facade
import imaging.facade
import imaging.services
import products.facade
from authorization.services.requests import (
    request_claim_next,
    request_verdicts_record,
)
from authorization.services.trail import Actor
from tests.authorization.request_fixtures import *  # noqa: F403
from tests.authorization.request_fixtures import all_points_pass, upload
from tests.customers.factories import PersonalCustomerFactory
from tests.products.factories import account_open_for_test, time_deposit_product_for_test

FACADES = (customers.facade, products.facade, imaging.facade, authorization.facade)
PLAIN = (type(None), bool, int, float, str, Decimal, date, datetime, timedelta)


def _plain_problem(value, where: str) -> str | None:
    """Why `value` is not plain ("" when it is)."""
    if isinstance(value, (models.Model, models.QuerySet, models.Manager)):
        return f"{where} is {type(value).__name__}"
    if isinstance(value, PLAIN):
        return None
    if isinstance(value, (list, tuple, frozenset, set)):
        for index, item in enumerate(value):
            if problem := _plain_problem(item, f"{where}[{index}]"):
                return problem
        return None
    if isinstance(value, Mapping):
        for key, item in value.items():
            if problem := _plain_problem(key, f"{where} key") or _plain_problem(
                item, f"{where}[{key!r}]"
            ):
                return problem
        return None
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        params = type(value).__dataclass_params__
        if not params.frozen or not hasattr(type(value), "__slots__"):
            return f"{where} is a {type(value).__name__}, not a frozen dataclass with slots"
        for field in dataclasses.fields(value):
            if problem := _plain_problem(getattr(value, field.name), f"{where}.{field.name}"):
                return problem
        return None
    return f"{where} is {type(value).__name__}"


def _functions(facade) -> set[str]:
    return {
        name
        for name in facade.__all__
        if inspect.isfunction(getattr(facade, name))
        and not getattr(facade, name).__name__.startswith("_")
    }


@pytest.fixture(autouse=True)
def _fresh_rule_set_schedule(settings):
    settings.AUTHORIZATION_RULESET_CHECK_SECONDS = 0


def test_every_facade_function_answers_plain_values(
    org,
    teller1,
    authorizer1,
    submit_withdrawal,
    with_evidence,
    django_capture_on_commit_callbacks,
    monkeypatch,
):
    monkeypatch.setattr(imaging.services, "_owner_access", dict(imaging.services._owner_access))
    now = timezone.now()
    customer = PersonalCustomerFactory(home_branch=org["BJ01"])
    customer_no = customer.customer_no
    product = time_deposit_product_for_test(early_withdrawals_allowed=1, negotiable_max=3)
    active = account_open_for_test(product=product, customer_no=customer_no)
    pending = account_open_for_test(
        product=product,
        customer_no=customer_no,
        parameters={"early_withdrawals_allowed": "3"},
    )
    assert pending.status == "pending_authorization"
    request = with_evidence(submit_withdrawal(teller1))
    request_claim_next(actor=Actor(user=authorizer1))
    request_verdicts_record(
        reference=request.reference, verdicts=all_points_pass(), actor=Actor(user=authorizer1)
    )
    owner_ref = request.owner_ref

    def receive():
        with django_capture_on_commit_callbacks(execute=True):
            return imaging.facade.image_receive(
                owner_ref=owner_ref,
                image_type_code="ID_CARD_FRONT",
                upload=upload(99),
                uploaded_by=teller1,
            )

    calls = {
        customers.facade: {
            "customer_profile": lambda: customers.facade.customer_profile(
                customer_no=customer_no, on_date=now.date(), user=teller1
            ),
            "customer_summary": lambda: customers.facade.customer_summary(
                customer_no=customer_no, user=teller1
            ),
            "customer_values": lambda: customers.facade.customer_values(
                customer_no=customer_no, names=["name", "home_branch", "vip_level"], user=teller1
            ),
            "customer_change_check": lambda: customers.facade.customer_change_check(
                customer_no=customer_no, changes={"vip_level": 2}, user=teller1, now=now
            ),
            "customer_update": lambda: customers.facade.customer_update(
                customer_no=customer_no, changes={"vip_level": 3}, changed_by=teller1, now=now
            ),
        },
        products.facade: {
            "product_facts": lambda: products.facade.product_facts(
                product_code=product.product_code
            ),
            "account_facts": lambda: products.facade.account_facts(
                account_no=active.account_no, user=teller1
            ),
            "negotiated_parameters": lambda: products.facade.negotiated_parameters(
                product_code=product.product_code,
                parameter_values={"early_withdrawals_allowed": "3"},
            ),
            "account_pending_for_evaluation": lambda: (
                products.facade.account_pending_for_evaluation(
                    evaluation_reference=pending.evaluation_reference
                )
            ),
            "account_authorization_complete": lambda: (
                products.facade.account_authorization_complete(
                    account_no=pending.account_no, approved=True
                )
            ),
            "product_choices": products.facade.product_choices,
            "product_line_choices": products.facade.product_line_choices,
            "account_suggestions": lambda: products.facade.account_suggestions(
                user=teller1, text=customer_no[:6], limit=5
            ),
        },
        imaging.facade: {
            "image_receive": receive,
            "image_process": lambda: imaging.facade.image_process(image_id=receive().id),
            "image_quality_check": lambda: imaging.facade.image_quality_check(
                image_type_code="ID_CARD_FRONT", upload=upload(98)
            ),
            "images_for_owner": lambda: imaging.facade.images_for_owner(owner_ref=owner_ref),
            "ready_image_counts": lambda: imaging.facade.ready_image_counts(owner_ref=owner_ref),
            "register_owner_access": lambda: imaging.facade.register_owner_access(
                "facadetest:", lambda user, ref: False
            ),
        },
        authorization.facade: {
            "code_names": authorization.facade.code_names,
            "request_events_after": lambda: authorization.facade.request_events_after(after_id=0),
            "review_verdicts_after": lambda: authorization.facade.review_verdicts_after(after_id=0),
        },
    }

    problems = []
    for facade in FACADES:
        assert set(calls[facade]) == _functions(facade), facade.__name__
        for name, call in calls[facade].items():
            answer = call()
            if problem := _plain_problem(answer, f"{facade.__name__}.{name}()"):
                problems.append(problem)
    assert problems == []

    # The seeded case gave each read something to answer.
    assert customers.facade.customer_values(
        customer_no=customer_no, names=["vip_level"], user=teller1
    ).values == {"vip_level": 3}
    assert products.facade.account_facts(account_no=pending.account_no).status == "active"
    assert [
        s.account_no
        for s in products.facade.account_suggestions(user=teller1, text=customer_no, limit=5)
    ] == [pending.account_no, active.account_no]
    assert authorization.facade.request_events_after(after_id=0)
    assert authorization.facade.code_names().transactions["CASH_WITHDRAWAL"]
    assert authorization.facade.review_verdicts_after(after_id=0)
    assert imaging.facade.images_for_owner(owner_ref=owner_ref)


def test_the_check_names_rows_querysets_and_loose_dataclasses(org):
    from bankcore.models import OrgUnit

    @dataclasses.dataclass
    class Loose:
        code: str

    assert _plain_problem(org["BJ01"], "unit") == "unit is OrgUnit"
    assert _plain_problem([OrgUnit.objects.all()], "units").startswith("units[0] is ")
    assert "not a frozen dataclass" in _plain_problem(Loose("x"), "loose")
    assert _plain_problem({"a": (1, Decimal("2"), None)}, "ok") is None
