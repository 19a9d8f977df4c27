"""Writes of the products app: the product factory's transactions and account opening.

Every parameter value goes through `products.parameters.parameter_value_clean`, every
product or template setting through `setting_clean`, so one place says what is valid. One
module per concern; this package names the public surface and nothing else.
"""

from products.services.accounts import (
    ACCOUNT_NO_ATTEMPTS,
    AccountOpening,
    account_authorization_complete,
    account_open,
    account_opening_check,
)
from products.services.errors import (
    AccountNumbersExhausted,
    AccountOpeningRefused,
    AccountStateConflict,
    CurrencyNotSupported,
    OpeningAmountInvalid,
    OpeningBranchRequired,
    OpeningCustomerNotFound,
    ParameterDefinitionInUse,
    ParameterDefinitionInvalid,
    ProductAwaitingApproval,
    ProductChangeNeedsApproval,
    ProductInvalid,
    ProductNotActive,
    ProductStateConflict,
    SystemPrincipleChange,
)
from products.services.lifecycle import (
    PRODUCT_ACTIONS,
    product_lifecycle_act,
    product_publish,
    product_publish_check,
    product_resume,
    product_retire,
    product_suspend,
)
from products.services.parameter_definitions import (
    parameter_definition_create,
    parameter_definition_in_use,
    parameter_definition_update,
)
from products.services.products import (
    APPROVE_PERMISSION,
    product_copy,
    product_create_from_template,
    product_modify,
)
from products.services.settings import (
    BOUND_KEYS,
    SETTING_KEYS,
    setting_clean,
)
from products.services.templates import (
    product_template_create,
    product_template_update,
)

__all__ = [
    "ACCOUNT_NO_ATTEMPTS",
    "APPROVE_PERMISSION",
    "BOUND_KEYS",
    "PRODUCT_ACTIONS",
    "SETTING_KEYS",
    "AccountNumbersExhausted",
    "AccountOpening",
    "AccountOpeningRefused",
    "AccountStateConflict",
    "CurrencyNotSupported",
    "OpeningAmountInvalid",
    "OpeningBranchRequired",
    "OpeningCustomerNotFound",
    "ParameterDefinitionInUse",
    "ParameterDefinitionInvalid",
    "ProductAwaitingApproval",
    "ProductChangeNeedsApproval",
    "ProductInvalid",
    "ProductNotActive",
    "ProductStateConflict",
    "SystemPrincipleChange",
    "account_authorization_complete",
    "account_open",
    "account_opening_check",
    "parameter_definition_create",
    "parameter_definition_in_use",
    "parameter_definition_update",
    "product_copy",
    "product_create_from_template",
    "product_lifecycle_act",
    "product_modify",
    "product_publish",
    "product_publish_check",
    "product_resume",
    "product_retire",
    "product_suspend",
    "product_template_create",
    "product_template_update",
    "setting_clean",
]
