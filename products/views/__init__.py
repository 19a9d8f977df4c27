"""Pages of the product factory (parameter administrators) and account opening (tellers)."""

from products.views.pages import (
    account_detail,
    account_open,
    parameter_catalogue,
    parameter_create,
    parameter_edit,
    product_action,
    product_copy,
    product_create,
    product_designer,
    product_diff,
    product_list,
    proposal_decide,
    proposal_list,
    template_edit,
    template_list,
)

__all__ = [
    "account_detail",
    "account_open",
    "parameter_catalogue",
    "parameter_create",
    "parameter_edit",
    "product_action",
    "product_copy",
    "product_create",
    "product_designer",
    "product_diff",
    "product_list",
    "proposal_decide",
    "proposal_list",
    "template_edit",
    "template_list",
]
