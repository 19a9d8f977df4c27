"""Races the database settles: one resident ID number registered at once under several
document types opens one customer; two supervisors deciding one status change at once."""

import threading

import pytest
from django.db import connection

from bankcore.roles import Role
from customers import services
from customers.models import Customer, CustomerStatusChange, DocumentIdentity
from tests.conftest import requires_postgres
from tests.customers.factories import PersonalCustomerFactory, resident_id_for_test


def _race(targets) -> tuple[list, list[BaseException]]:
    start = threading.Barrier(len(targets))
    results, errors = [], []

    def run(target) -> None:
        try:
            start.wait()
            results.append(target())
        except BaseException as exc:  # reported by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_one_resident_id_number_sent_at_once_under_four_types_opens_one_customer(org):
    services.reference_data_ensure()
    number = resident_id_for_test(77_001)

    def create(type_code: str):
        return lambda: services.personal_customer_create(
            name=f"Racer {type_code}",
            home_branch=org["BJ01"],
            opening_document=services.DocumentInput(document_type_code=type_code, number=number),
            created_by=None,
        )

    results, errors = _race([create(code) for code in ("101", "102", "103", "999")])

    assert len(results) == 1
    assert len(errors) == 3
    assert all(isinstance(error, services.DocumentAlreadyRegistered) for error in errors)
    assert Customer.objects.count() == 1
    assert DocumentIdentity.objects.get().identity_key == f"RID:{number}"


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_two_supervisors_deciding_one_status_change_at_once_decide_it_once(org, make_user):
    services.reference_data_ensure()
    teller = make_user(Role.TELLER, "BJ01", username="race_teller")
    first = make_user(Role.BRANCH_SUPERVISOR, "BJ01", username="race_sup1")
    second = make_user(Role.BRANCH_SUPERVISOR, "BJ01", username="race_sup2")
    customer = PersonalCustomerFactory(home_branch=org["BJ01"])
    change = services.status_change_request(
        customer=customer, to_status="closed", reason="Asked", requested_by=teller
    )

    results, errors = _race(
        [
            lambda: services.status_change_approve(
                customer=customer, status_change_id=change.pk, approved_by=first
            ),
            lambda: services.status_change_reject(
                customer=customer, status_change_id=change.pk, rejected_by=second, comment="No"
            ),
        ]
    )

    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], services.StatusChangeStateConflict)
    decided = CustomerStatusChange.objects.get()
    expected = "closed" if decided.state == "approved" else "active"
    assert Customer.objects.get().status == expected
