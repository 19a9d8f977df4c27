import threading

import pytest
from django.db import connection

from bankcore.codes import luhn_is_valid
from bankcore.models import OrgUnitKind
from customers import services
from customers.models import Customer
from tests.bankcore.factories import OrgUnitFactory
from tests.conftest import requires_postgres
from tests.customers.factories import resident_id_for_test

THREADS = 50


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_creations_get_fifty_distinct_valid_numbers():
    services.reference_data_ensure()
    branch = OrgUnitFactory(code="CC01", kind=OrgUnitKind.HEAD_OFFICE)
    documents = [resident_id_for_test(10_000 + i) for i in range(THREADS)]
    start = threading.Barrier(THREADS)
    numbers: list[str] = []
    errors: list[BaseException] = []

    def create(number: str) -> None:
        try:
            start.wait()
            customer = services.personal_customer_create(
                name=f"Concurrent {number}",
                home_branch=branch,
                opening_document=services.DocumentInput(document_type_code="101", number=number),
                created_by=None,
            )
            numbers.append(customer.customer_no)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(number,)) for number in documents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(set(numbers)) == THREADS
    assert all(luhn_is_valid(number) and len(number) == 12 for number in numbers)
    assert Customer.objects.count() == THREADS
