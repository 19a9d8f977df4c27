"""What evaluate refuses: each refusal a named error (400), naming the fields at fault."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from bankcore.errors import DomainError


class InvalidTransaction(DomainError):
    code = "invalid_transaction"
    default_message = gettext_lazy("The transaction is not valid.")


class UnknownCustomer(InvalidTransaction):
    code = "unknown_customer"
    default_message = gettext_lazy("No customer has this customer number.")


class UnknownAccount(InvalidTransaction):
    code = "unknown_account"
    default_message = gettext_lazy("No account has this account number.")


class UnknownProduct(InvalidTransaction):
    code = "unknown_product"
    default_message = gettext_lazy("No product has this product code.")


class ActorInvalid(InvalidTransaction):
    code = "invalid_actor"
    default_message = gettext_lazy("The branch or teller named is not who acted.")
