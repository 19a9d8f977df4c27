"""Simulating a version: recorded transactions evaluated again under it, compared with what
was decided at the time."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from ..models import EvaluatedTransaction, RuleSetVersion
from ..rules.compiler import CompiledRuleSet, compile_rule_set
from ..selectors import rule_set_spec


@dataclass
class SimulationLine:
    key: str  # reason code or branch code
    more: int = 0  # would now trigger and did not
    fewer: int = 0  # triggered and would not any more
    examples: list[dict] = field(default_factory=list)


@dataclass
class SimulationReport:
    version_number: int
    transactions: int
    newly_required: int
    no_longer_required: int
    by_reason: list[SimulationLine]
    by_branch: list[SimulationLine]
    errors: int


def rule_set_simulate(
    *,
    version: RuleSetVersion,
    since: datetime | None = None,
    limit: int = 2000,
    examples_per_line: int = 5,
) -> SimulationReport:
    """Re-evaluate recorded transactions under `version` and compare with what was decided
    at the time: per reason and per branch, how many more or fewer would have triggered."""
    from .evaluation import InvalidTransaction, TransactionInput, evaluate

    compiled: CompiledRuleSet = compile_rule_set(rule_set_spec(version=version))
    qs = EvaluatedTransaction.objects.order_by("-evaluated_at", "-id")
    if since is not None:
        qs = qs.filter(evaluated_at__gte=since)
    by_reason: dict[str, SimulationLine] = {}
    by_branch: dict[str, SimulationLine] = {}
    count = newly = no_longer = errors = 0
    for row in qs[:limit]:
        count += 1
        try:
            evaluation = evaluate(
                transaction=TransactionInput(
                    transaction_code=row.transaction_code,
                    channel=row.channel,
                    elements=row.elements,
                    branch_code=row.branch_code,
                    teller=row.teller,
                ),
                now=row.evaluated_at,
                rule_set=compiled,
                record=False,
            )
        except InvalidTransaction:
            errors += 1
            continue
        decision = evaluation.decision
        before = set(row.reason_codes)
        after = {reason.reason_code for reason in decision.reasons}
        example = {
            "reference": str(row.reference),
            "transaction_code": row.transaction_code,
            "branch_code": row.branch_code,
            "evaluated_at": row.evaluated_at,
            "elements": row.elements,
            "before": sorted(before),
            "after": sorted(after),
        }
        for reason_code in after - before:
            line = by_reason.setdefault(reason_code, SimulationLine(reason_code))
            line.more += 1
            if len(line.examples) < examples_per_line:
                line.examples.append(example)
        for reason_code in before - after:
            line = by_reason.setdefault(reason_code, SimulationLine(reason_code))
            line.fewer += 1
            if len(line.examples) < examples_per_line:
                line.examples.append(example)
        if decision.required != row.required:
            branch = by_branch.setdefault(
                row.branch_code or "-", SimulationLine(row.branch_code or "-")
            )
            if decision.required:
                newly += 1
                branch.more += 1
            else:
                no_longer += 1
                branch.fewer += 1
            if len(branch.examples) < examples_per_line:
                branch.examples.append(example)
    return SimulationReport(
        version_number=version.number,
        transactions=count,
        newly_required=newly,
        no_longer_required=no_longer,
        by_reason=sorted(by_reason.values(), key=lambda line: line.key),
        by_branch=sorted(by_branch.values(), key=lambda line: line.key),
        errors=errors,
    )
