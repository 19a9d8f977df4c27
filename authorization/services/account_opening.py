"""Account opening asked of the rules in force (connected to the kernel port
`bankcore.ports.account_opening_evaluate` in AuthorizationConfig.ready).

products opens accounts but may not import this app; it asks the port, and this module
answers by evaluating an ACCOUNT_OPENING transaction like any channel's, recorded as business
flow data. The elements are filled by their declared type (customer number, product code,
amount, parameters), so a catalogue that names them differently still gets them.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from bankcore.ports import NOT_EVALUATED, DecisionReason, TransactionDecision

from ..models import AuthorizationMode
from ..selectors import NoPublishedRuleSet, rule_set_in_force
from .evaluation import TransactionInput, evaluate

ACCOUNT_OPENING = "ACCOUNT_OPENING"


def account_opening_evaluate(
    *,
    customer_no: str,
    product_code: str,
    amount: Decimal,
    currency: str,
    parameters: dict[str, str],
    channel: str,
    branch_code: str,
    teller: str,
    now: datetime,
) -> TransactionDecision:
    """The decision of the rules in force on one account opening. With no rule set in force,
    or a catalogue without the account-opening transaction, no rule can apply: the answer
    says it was not evaluated. Raises InvalidTransaction (400) when the catalogue refuses
    the opening's channel."""
    try:
        rule_set = rule_set_in_force(now=now)
    except NoPublishedRuleSet:
        return NOT_EVALUATED
    spec = rule_set.transactions.get(ACCOUNT_OPENING)
    if spec is None:
        return NOT_EVALUATED
    elements: dict = {}
    for name, element_type in spec.elements.items():
        if element_type == "customer_no":
            elements[name] = customer_no
        elif element_type == "product_code":
            elements[name] = product_code
        elif element_type == "money" and (amount > 0 or name in spec.required_elements):
            elements[name] = {"amount": str(amount), "currency": currency}
        elif element_type == "parameters" and parameters:
            elements[name] = {code: str(value) for code, value in parameters.items()}
    evaluation = evaluate(
        transaction=TransactionInput(
            transaction_code=ACCOUNT_OPENING,
            channel=channel,
            elements=elements,
            branch_code=branch_code,
            teller=teller,
        ),
        now=now,
        rule_set=rule_set,
    )
    decision = evaluation.decision
    mode = decision.mode or ""
    return TransactionDecision(
        evaluated=True,
        required=decision.required,
        refused=decision.refused,
        mode=mode,
        mode_label=str(AuthorizationMode(mode).label) if mode in AuthorizationMode.values else mode,
        level=decision.level,
        reasons=tuple(
            DecisionReason(
                reason_code=reason.reason_code,
                reason_name=reason.reason_name,
                rule_code=reason.rule_code,
                explanation=reason.explanation,
            )
            for reason in decision.reasons
        ),
        reference=str(evaluation.reference or ""),
        rule_set_version=decision.version_number,
    )
