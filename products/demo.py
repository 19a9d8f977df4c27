"""Demo data of the product factory (idempotent): the reference catalogue (lines,
parameters, one template per line) and a handful of realistic active products."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils import timezone

from products.catalogue import catalogue_install
from products.models import Product
from products.proposals import product_proposal_approve, product_publication_propose
from products.services import product_create_from_template

DEMO_PRODUCT_NAMES_ZH = {
    "Personal settlement account": "个人结算账户",
    "Personal 1-year time deposit": "个人一年期定期存款",
    "Interbank time-deposit certificate 21 days": "同业定期存单21天",
    "Personal consumer loan": "个人消费贷款",
    "Branch suspense account": "网点暂收款项账户",
}

DEMO_PRODUCTS = [
    # name, template, customer group, parameters
    (
        "Personal settlement account",
        "demand_deposit",
        "personal",
        {
            "allowed_customer_types": ["personal"],
            "universal_withdrawal_mode": "nationwide",
        },
    ),
    (
        "Personal 1-year time deposit",
        "time_deposit",
        "personal",
        {
            "term": {"value": "1Y", "principle_level": "product"},
            "interest_rate": "1.45",
            "min_opening_amount": "50.00 CNY",
            "early_withdrawals_allowed": {
                "value": "1",
                "principle_level": "default",
                "free_min": "0",
                "free_max": "1",
                "negotiable_max": "2",
            },
        },
    ),
    (
        "Interbank time-deposit certificate 21 days",
        "time_deposit",
        "corporate",
        {
            "term": {"value": "21D", "principle_level": "product"},
            "min_opening_amount": "80000.00 CNY",
            "min_retained_balance": "20000.00 CNY",
            "early_withdrawals_allowed": {
                "value": "3",
                "principle_level": "default",
                "free_min": "0",
                "free_max": "3",
                "negotiable_max": "5",
            },
            "renewal_count": {
                "value": "5",
                "principle_level": "default",
                "free_min": "0",
                "free_max": "5",
            },
            "allowed_customer_types": ["corporate"],
            "interbank_only": "true",
            "allowed_media": ["certificate"],
        },
    ),
    (
        "Personal consumer loan",
        "loan",
        "personal",
        {
            "interest_rate": "4.35",
            "min_opening_amount": "5000.00 CNY",
            "max_opening_amount": "300000.00 CNY",
            "term": {
                "value": "1Y",
                "principle_level": "default",
                "free_min": "6M",
                "free_max": "3Y",
                "negotiable_max": "5Y",
            },
        },
    ),
    (
        "Branch suspense account",
        "internal_account",
        "internal",
        {
            "internal_purpose": "suspense",
        },
    ),
]


def seed(*, stdout) -> None:
    catalogue_install(apps)
    users = get_user_model().objects
    # Four-eyes holds for demo data too: one administrator proposes, the other approves.
    admin, approver = users.get(username="paramadmin1"), users.get(username="paramadmin2")
    now = timezone.now()
    for name, template, group, parameters in DEMO_PRODUCTS:
        if Product.objects.filter(name_en=name).exists():
            continue
        product = product_create_from_template(
            template_code=template,
            name=name,
            name_zh_hans=DEMO_PRODUCT_NAMES_ZH[name],
            customer_group=group,
            parameters=parameters,
            created_by=admin,
            now=now,
        )
        proposal = product_publication_propose(product=product, proposed_by=admin, now=now)
        product = product_proposal_approve(proposal=proposal, approved_by=approver, now=now)
        stdout.write(f"  product {product.product_code} {product.name}")
