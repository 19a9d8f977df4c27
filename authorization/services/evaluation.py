"""The evaluate service: does this transaction need authorization, and how?"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connections, models, router
from django.utils import timezone
from django.utils.translation import gettext as _

from bankcore import prepared
from bankcore.models import OrgUnit, path_is_within
from bankcore.money import InvalidMoney, Money, parse_amount
from bankcore.prepared import Param
from bankcore.scoping import user_sees_all_branches

from ..models import EvaluatedTransaction
from ..rules.catalogue import ELEMENT_KINDS, STRING
from ..rules.compiler import CompiledRuleSet, Decision
from ..rules.literals import parse_value
from ..selectors import rule_set_in_force
from .evaluation_errors import (
    ActorInvalid,
    InvalidTransaction,
    UnknownAccount,
    UnknownCustomer,
    UnknownProduct,
)
from .facts import facts_gather

__all__ = [
    "ActorInvalid",
    "Evaluation",
    "InvalidTransaction",
    "TransactionInput",
    "UnknownAccount",
    "UnknownCustomer",
    "UnknownProduct",
    "evaluate",
    "evaluation_record",
    "facts_gather",
    "money_element_parse",
    "transaction_actor_resolve",
    "transaction_parse",
]


@dataclass(frozen=True, slots=True)
class TransactionInput:
    """What a channel sends: the code, the channel (trigger system) and the elements."""

    transaction_code: str
    channel: str
    elements: dict[str, Any] = field(default_factory=dict)
    branch_code: str = ""
    teller: str = ""


@dataclass(frozen=True, slots=True)
class Evaluation:
    reference: uuid.UUID | None  # the recorded transaction's reference (None when not recorded)
    decision: Decision


def money_element_parse(raw: Any) -> Money:
    """A money element as a channel sends it: {"amount": "60000.00", "currency": "CNY"} (or the
    text "60000.00 CNY"). The amount goes through the strict parser: a positive string of
    digits within the currency's minor units; negative, "1e3", "1_000", full-width digits
    and bare numbers are refused."""
    if isinstance(raw, dict) and set(raw) == {"amount", "currency"}:
        amount, currency = raw["amount"], raw["currency"]
    elif isinstance(raw, str) and len(parts := raw.split(" ")) == 2:
        amount, currency = parts
    else:
        raise InvalidMoney(
            _('must be {"amount": "50000.00", "currency": "CNY"} (the amount as a string)')
        )
    if not isinstance(currency, str):
        raise InvalidMoney(_("the currency must be an ISO 4217 code such as CNY"))
    return Money(parse_amount(amount, currency=currency), currency)


def _parse_element(element_type: str, raw: Any) -> Any:
    """An element's value, read as a rule's literal of its kind is (literals.parse_value);
    money goes through the strict amount parser, and text must not be blank."""
    if element_type == "money":
        return money_element_parse(raw)
    if element_type == "parameters":
        if not isinstance(raw, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in raw.items()
        ):
            raise ValueError(_("must be an object of parameter code → value (strings)"))
        return raw
    kind = ELEMENT_KINDS[element_type]
    value = parse_value(kind, raw)
    if kind == STRING:
        if not value.strip():
            raise ValueError(_("must be non-empty text"))
        return value.strip()
    return value


def transaction_parse(
    *, rule_set: CompiledRuleSet, transaction: TransactionInput
) -> dict[str, Any]:
    """The transaction's elements checked against the catalogue. Raises InvalidTransaction
    with a message per field ("transaction_code", "channel", "elements.amount", ...)."""
    spec = rule_set.transactions.get(transaction.transaction_code)
    if spec is None:
        raise InvalidTransaction(
            _("Unknown transaction code %(code)s.") % {"code": repr(transaction.transaction_code)},
            fields={"transaction_code": [_("Unknown transaction code.")]},
        )
    errors: dict[str, list[str]] = {}
    if transaction.channel not in rule_set.channels:
        errors["channel"] = [
            _("Unknown channel; known: %(channels)s.")
            % {"channels": ", ".join(sorted(rule_set.channels))}
        ]
    parsed: dict[str, Any] = {}
    for name, raw in transaction.elements.items():
        element_type = spec.elements.get(name)
        if element_type is None:
            errors[f"elements.{name}"] = [_("Not an element of this transaction.")]
            continue
        if raw is None:
            continue
        try:
            parsed[name] = _parse_element(element_type, raw)
        except (ValueError, InvalidMoney) as exc:
            errors[f"elements.{name}"] = [str(exc)]
    for name in spec.required_elements:
        if name not in transaction.elements and f"elements.{name}" not in errors:
            errors[f"elements.{name}"] = [_("This element is required.")]
    if errors:
        raise InvalidTransaction(_("Some fields of the transaction are invalid."), fields=errors)
    return parsed


def transaction_actor_resolve(*, transaction: TransactionInput, acted_by) -> TransactionInput:
    """The transaction with the branch and teller that really acted, for `acted_by` (the
    authenticated user).

    A branch user (who sees only their own subtree) acts as themselves at their own unit,
    which must be open: the branch and teller are filled in, and naming another is refused.
    A bank-wide caller (an integrator's channel system) may name the branch and the teller at
    the counter; the teller must be an active user of that branch (or a unit below it). Raises ActorInvalid
    naming `branch_code` or `teller`."""
    if not user_sees_all_branches(acted_by):
        unit = acted_by.org_unit if acted_by.org_unit_id else None
        errors: dict[str, list[str]] = {}
        if unit is None:
            errors["branch_code"] = [_("Your user belongs to no branch.")]
        elif not unit.is_active:
            # As for a branch a channel names: a closed unit's users no longer transact there.
            errors["branch_code"] = [_("Your branch %(code)s is closed.") % {"code": unit.code}]
        elif transaction.branch_code and transaction.branch_code != unit.code:
            errors["branch_code"] = [
                _("You evaluate for your own branch (%(code)s) only.") % {"code": unit.code}
            ]
        if transaction.teller and transaction.teller != acted_by.get_username():
            errors["teller"] = [_("You evaluate as yourself: leave the teller out.")]
        if errors:
            raise ActorInvalid(fields=errors)
        return replace(transaction, branch_code=unit.code, teller=acted_by.get_username())
    branch_path = None
    if transaction.branch_code:
        found = prepared.rows("evaluate.branch", _branch_path, {"code": transaction.branch_code})
        if not found:
            raise ActorInvalid(fields={"branch_code": [_("No branch has this code.")]})
        [(branch_path, branch_active)] = found
        if not branch_active:
            raise ActorInvalid(
                fields={
                    "branch_code": [
                        _("Branch %(code)s is closed.") % {"code": transaction.branch_code}
                    ]
                }
            )
    if transaction.teller:
        if branch_path is None:
            raise ActorInvalid(
                fields={"branch_code": [_("Name the branch of the teller who acted.")]}
            )
        teller = (
            get_user_model()
            .objects.select_related("org_unit")
            .filter(username=transaction.teller, is_active=True)
            .first()
        )
        if (
            teller is None
            or teller.org_unit is None
            or not path_is_within(teller.org_unit.path, branch_path)
        ):
            raise ActorInvalid(
                fields={
                    "teller": [
                        _("No active teller of branch %(code)s has this username.")
                        % {"code": transaction.branch_code}
                    ]
                }
            )
    return transaction


def _branch_path() -> models.QuerySet:
    # Read on every evaluation an integrator's channel sends: compiled once per connection
    # (bankcore.prepared; building the ORM query each time cost ~0.4 ms of CPU per request),
    # and only the path and whether it is open, which is all the checks need: making an
    # OrgUnit of the row cost as much again as running the statement (~24 µs against ~13 µs
    # on SQLite).
    return OrgUnit.objects.filter(code=Param("code", OrgUnit._meta.get_field("code"))).values_list(
        "path", "is_active"
    )[:1]


def evaluate(
    *,
    transaction: TransactionInput,
    now: datetime | None = None,
    rule_set: CompiledRuleSet | None = None,
    record: bool = True,
    acted_by=None,
) -> Evaluation:
    """Decide whether `transaction` needs authorization under the rule set in force at `now`
    (or under `rule_set`, e.g. a draft being tried), and record it as business flow data.
    With `acted_by` (the authenticated user) the branch and teller are checked against who
    acted (transaction_actor_resolve) and the record names `acted_by`.
    Raises InvalidTransaction (400) naming the field, NoPublishedRuleSet."""
    now = now or timezone.now()
    if acted_by is not None:
        transaction = transaction_actor_resolve(transaction=transaction, acted_by=acted_by)
    if rule_set is None:
        rule_set = rule_set_in_force(now=now)
    elements = transaction_parse(rule_set=rule_set, transaction=transaction)
    facts = facts_gather(  # a branch user's customers and accounts are their subtree's
        rule_set=rule_set,
        transaction=transaction,
        elements=elements,
        now=now,
        scope_user=acted_by,
    )
    decision = rule_set.decide(transaction.transaction_code, transaction.channel, facts)
    reference = None
    if record:
        reference = uuid.uuid4()
        evaluation_record(
            reference=reference,
            transaction=transaction,
            decision=decision,
            evaluated_at=now,
            evaluated_by=acted_by,
        )
    return Evaluation(reference=reference, decision=decision)


# --- Recording -------------------------------------------------------------------------------
# One INSERT per evaluation, in the caller's transaction, through Django's cursor: the same
# path in tests, with DEBUG, under tracing and in production (query counts and execute
# wrappers see it). The record is written before the answer leaves; nothing is buffered.


def evaluation_record(
    *,
    reference: uuid.UUID,
    transaction: TransactionInput,
    decision: Decision,
    evaluated_at: datetime,
    evaluated_by=None,
) -> None:
    """Record one evaluated transaction (business flow data for reports and simulations);
    `evaluated_by` is the authenticated user who asked (None for internal callers)."""
    values = {
        "reference": reference,
        "version_id": decision.version_id,
        "transaction_code": transaction.transaction_code,
        "channel": transaction.channel,
        "branch_code": transaction.branch_code,
        "teller": transaction.teller,
        "elements": transaction.elements,
        "required": decision.required,
        "refused": decision.refused,
        "mode": decision.mode or "",
        "level": decision.level,
        "reason_codes": sorted({reason.reason_code for reason in decision.reasons}),
        "rule_codes": [reason.rule_code for reason in decision.reasons],
        "scene_code": decision.scene.code if decision.scene else "",
        "evaluated_at": evaluated_at,
        "evaluated_by_id": evaluated_by.pk if evaluated_by is not None else None,
    }
    _insert_row(values)


def _insert_row(row: dict[str, Any]) -> None:
    """INSERT the row, on the hot path of every evaluation.

    The statement and the per-column preparation are worked out once per database; values go
    straight from the decision to the database. Building a model instance and compiling the
    INSERT for every row (what save() does) costs more than the INSERT itself."""
    connection = connections[router.db_for_write(EvaluatedTransaction)]
    statement = _insert_statements.get(connection.alias)
    if statement is None:
        statement = _insert_statements[connection.alias] = _InsertStatement(connection)
    params = [
        row[name] if prepare is None else prepare(row[name], connection)
        for name, prepare in statement.columns
    ]
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, params)


# Columns whose values come from the decision already as the driver takes them (text, bool,
# integer or None, the version's id): no per-row preparation.
_PLAIN_FIELDS = (models.CharField, models.BooleanField, models.IntegerField, models.ForeignKey)


class _InsertStatement:
    def __init__(self, connection) -> None:
        fields = [f for f in EvaluatedTransaction._meta.concrete_fields if not f.primary_key]
        quote = connection.ops.quote_name
        # Only the model's own table and column names are formatted in; values are parameters.
        # Django's cursor takes format-style placeholders on every database.
        self.sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
            quote(EvaluatedTransaction._meta.db_table),
            ", ".join(quote(f.column) for f in fields),
            ", ".join(["%s"] * len(fields)),
        )
        self.columns = [
            (f.attname, None if isinstance(f, _PLAIN_FIELDS) else f.get_db_prep_save)
            for f in fields
        ]


_insert_statements: dict[str, _InsertStatement] = {}
