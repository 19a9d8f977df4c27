"""Drawing product codes and account numbers (row-locked counters)."""

from __future__ import annotations

from django.db.models import F
from django.utils.translation import gettext as _

from products.codes import MAX_PRODUCT_SERIAL, product_code_build, product_code_prefix
from products.models import CodeCounter, ProductLine
from products.services.errors import ProductInvalid


def product_code_next(*, line: ProductLine, customer_group: str, business_nature: str) -> str:
    prefix = product_code_prefix(
        line_code=line.line_code, customer_group=customer_group, business_nature=business_nature
    )
    serial = counter_next(key=f"product:{prefix}")
    if serial > MAX_PRODUCT_SERIAL:
        raise ProductInvalid(_("No product code is left for %(prefix)s.") % {"prefix": prefix})
    return product_code_build(prefix=prefix, serial=serial)


def counter_next(*, key: str) -> int:
    """Draw the next serial of `key` (row-locked, so concurrent draws never collide)."""
    CodeCounter.objects.get_or_create(key=key)
    counter = CodeCounter.objects.select_for_update().get(key=key)
    CodeCounter.objects.filter(pk=counter.pk).update(last_value=F("last_value") + 1)
    return counter.last_value + 1
