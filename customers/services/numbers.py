"""Customer numbers: the next serial of a type, taken under the counter row's lock."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F

from customers.models import CustomerNumberCounter, customer_no_compose


def customer_no_next(*, customer_type: str) -> str:
    """The next customer number of this type. Must run inside the creating transaction: the
    UPDATE locks the counter row until commit, so concurrent creations queue on it."""
    counter = CustomerNumberCounter.objects.filter(customer_type=customer_type)
    if not counter.update(last_serial=F("last_serial") + 1):
        try:
            with transaction.atomic():
                CustomerNumberCounter.objects.create(customer_type=customer_type)
        except IntegrityError:
            pass  # another transaction created it first
        counter.update(last_serial=F("last_serial") + 1)
    serial = counter.values_list("last_serial", flat=True).get()
    return customer_no_compose(customer_type=customer_type, serial=serial)
