"""The refusals of the products app's writes (each maps to an API error body and a form error
in one place: `bankcore.errors`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from bankcore.errors import Conflict, DomainError


class ParameterDefinitionInvalid(DomainError):
    code = "parameter_definition_invalid"
    default_message = gettext_lazy("The parameter definition is not valid.")


class ProductInvalid(DomainError):
    code = "product_invalid"
    default_message = gettext_lazy("The product is not valid.")


class ProductStateConflict(Conflict):
    code = "product_state_conflict"
    default_message = gettext_lazy("The product's status does not allow this.")


class SystemPrincipleChange(Conflict):
    code = "system_principle_change"
    default_message = gettext_lazy(
        "System principle values cannot change on a product that has accounts."
    )


class ProductNotActive(DomainError):
    code = "product_not_active"
    default_message = gettext_lazy("Accounts open on active products only.")


class AccountOpeningRefused(DomainError):
    """The opening broke one or more of the product's rules. `code` is the first broken
    rule's code; `fields` names every field with its rule's message."""

    code = "account_opening_refused"
    default_message = gettext_lazy("The product does not allow this account.")


class AccountStateConflict(Conflict):
    code = "account_state_conflict"
    default_message = gettext_lazy("The account's status does not allow this.")


class ParameterDefinitionInUse(Conflict):
    code = "parameter_definition_in_use"
    default_message = gettext_lazy(
        "Products or templates use this parameter: its type, bounds and choices stay."
    )


class ProductChangeNeedsApproval(Conflict):
    code = "approval_required"
    default_message = gettext_lazy(
        "Changes to an active product take effect when another parameter administrator "
        "approves them: propose the change."
    )


class ProductAwaitingApproval(Conflict):
    code = "product_awaiting_approval"
    default_message = gettext_lazy(
        "The product's publication is awaiting approval; withdraw the proposal to edit it."
    )


class OpeningCustomerNotFound(DomainError):
    """The opening names a customer that is unknown or outside the opener's branch scope
    (both get the same answer), reported on the customer number field."""

    code = "customer_not_found"
    default_message = gettext_lazy("No customer has this customer number.")


class CurrencyNotSupported(DomainError):
    code = "currency_not_supported"
    default_message = gettext_lazy("Choose an ISO 4217 currency such as CNY or USD.")


class OpeningAmountInvalid(DomainError):
    code = "opening_amount_invalid"
    default_message = gettext_lazy("The opening amount is not valid.")


class AccountNumbersExhausted(Conflict):
    code = "account_numbers_exhausted"
    default_message = gettext_lazy("No account number could be drawn; try again.")


class OpeningBranchRequired(DomainError):
    """An opening happens at a branch: the opener's own, or one named they may open for."""

    code = "opening_branch_required"
    default_message = gettext_lazy("Your user belongs to no branch; accounts open at a branch.")
