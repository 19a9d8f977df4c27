"""Demo data: a realistic, published authorization rule set (its content in demo_rule_set.py)
and some recorded transactions.

Idempotent: the rule set is created and published only when no version exists yet; the
recorded transactions only when none exist.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from .demo_rule_set import CNY, DEMO_RULE_SET
from .demo_zh import DEMO_RULE_SET_ZH
from .models import EvaluatedTransaction, RuleSetVersion


def demo_rule_set_publish(*, proposed_by, approved_by, now=None) -> RuleSetVersion:
    """Create the demo rule set as a draft; one parameter administrator proposes publishing
    it and a second one approves (four-eyes holds for demo data too)."""
    from .services import (
        rule_set_content_load,
        rule_set_draft_create,
        rule_set_proposal_approve,
        rule_set_publication_propose,
    )

    now = now or timezone.now()
    draft = rule_set_draft_create(created_by=proposed_by, note="Demo rule set", now=now)
    rule_set_content_load(version=draft, content={**DEMO_RULE_SET, "zh_hans": DEMO_RULE_SET_ZH})
    proposal = rule_set_publication_propose(
        version=draft, proposed_by=proposed_by, effective_at=now, now=now
    )
    rule_set_proposal_approve(proposal=proposal, approved_by=approved_by, now=now)
    draft.refresh_from_db()
    return draft


def seed(*, stdout) -> None:
    from .demo_requests import seed as seed_requests
    from .services import TransactionInput, evaluate

    users = get_user_model().objects
    proposer, approver = users.get(username="paramadmin1"), users.get(username="paramadmin2")
    if not RuleSetVersion.objects.exists():
        version = demo_rule_set_publish(
            proposed_by=proposer, approved_by=approver, now=timezone.now() - timedelta(days=30)
        )
        stdout.write(f"Authorization: rule set v{version.number} published.")
    if EvaluatedTransaction.objects.exists():
        seed_requests(stdout=stdout)
        return
    # Recorded counter transactions (business flow data) for simulations and reports: cash
    # withdrawals and deposits across branches over the last weeks.
    rng = random.Random(5)  # noqa: S311 - demo data, reproducible
    now = timezone.now()
    tellers = {"BJ01": "teller1", "BJ02": "", "SH01": "", "SH02": ""}
    count = 0
    for day in range(1, 21):
        for branch, teller in tellers.items():
            for _ in range(3):
                code = rng.choice(["CASH_WITHDRAWAL", "CASH_WITHDRAWAL", "CASH_DEPOSIT"])
                amount = rng.choice(
                    [5_000, 12_000, 35_000, 42_000, 48_000, 60_000, 90_000, 250_000]
                )
                evaluate(
                    transaction=TransactionInput(
                        transaction_code=code,
                        channel="counter",
                        branch_code=branch,
                        teller=teller,
                        elements={"amount": {"amount": f"{amount}.00", "currency": CNY}},
                    ),
                    now=now - timedelta(days=day, hours=rng.randint(0, 6)),
                )
                count += 1
    stdout.write(f"Authorization: {count} recorded transactions.")
    seed_requests(stdout=stdout)
