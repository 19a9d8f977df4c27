"""Public read API of the products app, one module per concern: `facts` is what other apps
code against (plain facts, the allowed-transactions check, a customer's accounts); `catalogue`,
`products` and `accounts` are the reads of this app's own pages and API (querysets with a fixed
number of queries whatever the number of products and parameters). This package names the
public surface and nothing else.
"""

from products.selectors.accounts import (
    AccountParameterRow,
    OpeningTerms,
    account_detail,
    account_list,
    account_opening_terms,
    account_parameter_rows,
)
from products.selectors.catalogue import (
    ProductChoice,
    parameter_catalogue,
    parameter_definition_get,
    parameter_definition_list,
    product_choices,
    product_line_choices,
    product_line_list,
    product_settings,
    product_template_get,
    product_template_list,
)
from products.selectors.errors import (
    AccountNotFound,
    ParameterDefinitionNotFound,
    ProductNotFound,
    ProductTemplateNotFound,
)
from products.selectors.facts import (
    AccountFacts,
    ProductFacts,
    TransactionPermission,
    account_facts,
    account_pending_for_evaluation,
    account_transaction_allowed,
    account_transaction_check,
    customer_accounts,
    negotiated_parameters,
    product_facts,
)
from products.selectors.products import (
    ParameterDiff,
    product_by_code,
    product_detail,
    product_events,
    product_has_accounts,
    product_list,
    product_pick,
    product_version_diff,
    product_version_of,
)

__all__ = [
    "AccountFacts",
    "AccountNotFound",
    "AccountParameterRow",
    "OpeningTerms",
    "ParameterDefinitionNotFound",
    "ParameterDiff",
    "ProductChoice",
    "ProductFacts",
    "ProductNotFound",
    "ProductTemplateNotFound",
    "TransactionPermission",
    "account_detail",
    "account_facts",
    "account_list",
    "account_opening_terms",
    "account_parameter_rows",
    "account_pending_for_evaluation",
    "account_transaction_allowed",
    "account_transaction_check",
    "customer_accounts",
    "negotiated_parameters",
    "parameter_catalogue",
    "parameter_definition_get",
    "parameter_definition_list",
    "product_by_code",
    "product_choices",
    "product_detail",
    "product_events",
    "product_facts",
    "product_has_accounts",
    "product_line_choices",
    "product_line_list",
    "product_list",
    "product_pick",
    "product_settings",
    "product_template_get",
    "product_template_list",
    "product_version_diff",
    "product_version_of",
]
