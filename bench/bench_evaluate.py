"""Benchmark of the authorization engine (issue 5). Not a test: prints numbers measured in one run.

    .venv/bin/python bench/bench_evaluate.py [--quick] [--server postgres://postgres@127.0.0.1:5432]
    .venv/bin/python bench/bench_evaluate.py --help

1. evaluate() in-process with 100, 1,000 and 10,000 published rules over 50 transaction codes,
   alternating (A/B/C in blocks of transactions, order rotated per block) with two baselines on the same rules and
   transactions: a naive one (the code's rules read from the database and interpreted from
   their JSON on each call) and the `rule-engine` package (each rule as a rule_engine.Rule,
   all of them matched per transaction). Checks all three agree on which rules fire.
2. The evaluate endpoint against a bare DRF endpoint returning a same-sized JSON body,
   both through the Django test client with the same Bearer-token authentication.

Uses a throwaway database of its own, migrated here and removed at the end (also after an
error or Ctrl-C): a SQLite file in a temporary directory, or with --server a PostgreSQL
database created on that server.
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=(
            "Benchmark of the authorization engine: evaluate() against a naive interpreter "
            "and the rule-engine package at 100, 1,000 and 10,000 rules, the scaling with "
            "unrelated rules, and the evaluate endpoint against a bare DRF endpoint. "
            "About 1 minute (--quick: about 30 s) on a quiet machine."
        )
    )
    parser.add_argument(
        "--quick", action="store_true", help="fewer transactions and requests (about half the time)"
    )
    parser.add_argument(
        "--server",
        metavar="URL",
        help=(
            "run on PostgreSQL: the server's URL without a database name "
            "(e.g. postgres://postgres@127.0.0.1:5432); default: a SQLite file"
        ),
    )
    parser.add_argument(
        "--database",
        metavar="NAME",
        help="with --server: the throwaway database's name (default bench_evaluate_<pid>); "
        "it must not exist, it is dropped at the end",
    )
    return parser.parse_args()


ARGS = parse_args()
_TEMP_DIR = tempfile.mkdtemp(prefix="bench-evaluate-")
atexit.register(shutil.rmtree, _TEMP_DIR, ignore_errors=True)
if ARGS.server:
    import psycopg

    _SERVER = ARGS.server.rstrip("/")
    _DB_NAME = ARGS.database or f"bench_evaluate_{os.getpid()}"
    with psycopg.connect(f"{_SERVER}/postgres", autocommit=True) as _admin:
        _admin.execute(f'CREATE DATABASE "{_DB_NAME}"')

    def _database_drop() -> None:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(f"{_SERVER}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{_DB_NAME}" WITH (FORCE)')

    atexit.register(_database_drop)  # runs before the temp dir's removal (last in, first out)
    os.environ["DATABASE_URL"] = f"{_SERVER}/{_DB_NAME}"
else:
    os.environ["DATABASE_URL"] = f"sqlite:///{_TEMP_DIR}/bench.sqlite3"
os.environ.pop("REDIS_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bankcore.settings.test")

import django  # noqa: E402

django.setup()

import rule_engine  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db.models import Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import include, path  # noqa: E402
from django.utils import timezone  # noqa: E402
from rest_framework.response import Response  # noqa: E402
from rest_framework.views import APIView  # noqa: E402

from authorization.models import (  # noqa: E402
    ProcessingRule,
    RuleSetVersion,
    TransactionElement,
    TransactionType,
    TriggerReason,
    TriggerRule,
    TriggerSystem,
)
from authorization.rules.compiler import compile_rule_set  # noqa: E402
from authorization.rules.conditions import parse_literal, parse_money  # noqa: E402
from authorization.selectors import (  # noqa: E402
    rule_set_cache_clear,
    rule_set_in_force,
    rule_set_spec,
)
from authorization.services import (  # noqa: E402
    TransactionInput,
    evaluate,
    facts_gather,
    rule_set_draft_create,
    rule_set_proposal_approve,
    rule_set_publication_propose,
    transaction_parse,
)
from bankcore.api.authentication import api_token_create  # noqa: E402
from bankcore.models import OrgUnit, OrgUnitKind  # noqa: E402
from bankcore.roles import Role  # noqa: E402
from bankcore.services import user_ensure  # noqa: E402

CODES = [f"T{n:02d}" for n in range(50)]
WARM_UP_CALLS = 5
BRANCHES = [f"B{n:03d}" for n in range(400)]
PRODUCTS = [f"P{n:03d}" for n in range(400)]
ELEMENTS = [
    ("amount", "money"),
    ("product_code", "product_code"),
    ("vip_level", "integer"),
    ("is_employee", "boolean"),
]
THRESHOLDS = ["20000.00", "50000.00", "100000.00", "200000.00"]
UNRELATED_SEED = 11


# --- The rule set ------------------------------------------------------------------------------


def bench_rules(total: int, rng: random.Random) -> list[tuple[str, str, dict]]:
    """(rule code, transaction code, condition). Per code, two general rules (an amount
    threshold, an employee test); the others, as in real large rule sets, are specific to a
    branch or a product (a pool of values that grows with the rule count), with a threshold."""
    per_code = total // len(CODES)
    rules = []
    for code_index, code in enumerate(CODES):
        for k in range(per_code):
            if k == 0:
                # The general rules are the same at every size, so that the sizes differ
                # only by the specific rules added.
                condition = {
                    "field": "elements.amount",
                    "op": "gte",
                    "value": f"{THRESHOLDS[code_index % len(THRESHOLDS)]} CNY",
                }
            elif k == 1:
                condition = {
                    "all": [
                        {"field": "elements.is_employee", "op": "eq", "value": True},
                        {"field": "elements.amount", "op": "gte", "value": "10000.00 CNY"},
                    ]
                }
            else:
                pool = max(4, 2 * per_code)
                if k % 2:
                    discriminator = {
                        "field": "transaction.branch",
                        "op": "eq",
                        "value": rng.choice(BRANCHES[:pool]),
                    }
                else:
                    discriminator = {
                        "field": "elements.product_code",
                        "op": "in",
                        "value": rng.sample(PRODUCTS[:pool], 2),
                    }
                extra = rng.choice(
                    [
                        {
                            "field": "elements.amount",
                            "op": "gte",
                            "value": f"{rng.choice(THRESHOLDS)} CNY",
                        },
                        {"field": "elements.vip_level", "op": "gte", "value": rng.randint(3, 5)},
                        {"not": {"field": "elements.amount", "op": "lt", "value": "100000.00 CNY"}},
                    ]
                )
                condition = {"all": [discriminator, extra]}
            rules.append((f"R{code_index:02d}_{k:04d}", code, condition))
    return rules


def unrelated_rules(total: int) -> list[tuple[str, str, dict]]:
    """The 100-rule set, plus rules up to `total` for branches and products that none of the
    bench transactions uses: the answer for every transaction is the same at every size, so
    any growth in cost is the engine's, not more work to do."""
    rules = bench_rules(100, random.Random(UNRELATED_SEED))
    extra_per_code = (total - len(rules)) // len(CODES)
    for code_index, code in enumerate(CODES):
        for k in range(extra_per_code):
            if k % 2:
                discriminator = {"field": "transaction.branch", "op": "eq", "value": f"Z{k:04d}"}
            else:
                discriminator = {
                    "field": "elements.product_code",
                    "op": "in",
                    "value": [f"Z{k:04d}", f"Z{k + 1:04d}"],
                }
            amount = {"field": "elements.amount", "op": "gte", "value": "1000.00 CNY"}
            rules.append((f"U{code_index:02d}_{k:04d}", code, {"all": [discriminator, amount]}))
    return rules


def build_version(
    total: int, rng: random.Random, rules: list | None = None
) -> tuple[RuleSetVersion, list]:
    draft = rule_set_draft_create(created_by=None, note=f"bench {total}", empty=True)
    TriggerSystem.objects.create(version=draft, code="counter", name="Counter")
    reasons = [
        TriggerReason.objects.create(version=draft, code=f"X{n}", name=f"Reason {n}")
        for n in range(5)
    ]
    for n, reason in enumerate(reasons):
        ProcessingRule.objects.create(
            version=draft,
            code=f"PX{n}",
            reason=reason,
            mode="remote_centralized",
            level=1 + n % 3,
            authorizer_role="remote_authorizer",
        )
    types = {}
    for code in CODES:
        types[code] = TransactionType.objects.create(
            version=draft, code=code, name=code, business_type="bench"
        )
        TransactionElement.objects.bulk_create(
            TransactionElement(
                transaction_type=types[code], name=name, label=name, element_type=kind
            )
            for name, kind in ELEMENTS
        )
    rules = rules if rules is not None else bench_rules(total, rng)
    TriggerRule.objects.bulk_create(
        TriggerRule(
            version=draft,
            code=rule_code,
            name=rule_code,
            reason=reasons[i % 5],
            transaction_type=types[code],
            condition=condition,
            position=i,
        )
        for i, (rule_code, code, condition) in enumerate(rules)
    )
    # Proposing checks (parses) every rule; a second administrator approves (four-eyes).
    proposer, approver = bench_parameter_admins()
    proposal = rule_set_publication_propose(
        version=draft, proposed_by=proposer, effective_at=None, now=timezone.now()
    )
    rule_set_proposal_approve(proposal=proposal, approved_by=approver, now=timezone.now())
    draft.refresh_from_db()
    return draft, rules


def bench_parameter_admins():
    unit = OrgUnit.objects.get_or_create(
        code="HO", defaults={"name": "HO", "kind": OrgUnitKind.HEAD_OFFICE}
    )[0]
    return [
        user_ensure(
            username=f"bench-paramadmin{n}",
            password="Bench-Pass-2026",  # noqa: S106 - throwaway bench database
            org_unit=unit,
            roles=[Role.PARAMETER_ADMIN],
        )
        for n in (1, 2)
    ]


def bench_transactions(count: int, rng: random.Random) -> list[TransactionInput]:
    return [
        TransactionInput(
            transaction_code=rng.choice(CODES),
            channel="counter",
            branch_code=rng.choice(BRANCHES),
            elements={
                "amount": {
                    "amount": f"{rng.choice([900, 8000, 15000, 30000, 60000, 150000, 300000])}.00",
                    "currency": "CNY",
                },
                "product_code": rng.choice(PRODUCTS),
                "vip_level": rng.randint(0, 5),
                "is_employee": rng.random() < 0.1,
            },
        )
        for _ in range(count)
    ]


# --- Baseline 1: naive, rules read from the database and interpreted on each call -------------


def naive_interpret(node: dict, facts: dict) -> bool:
    if "all" in node:
        return all(naive_interpret(child, facts) for child in node["all"])
    if "any" in node:
        return any(naive_interpret(child, facts) for child in node["any"])
    if "not" in node:
        return not naive_interpret(node["not"], facts)
    value = facts.get(node["field"])
    op = node["op"]
    if op == "is_set":
        return value is not None
    if value is None:
        return False
    raw = node["value"]
    if op in ("in", "not_in"):
        found = value in raw
        return found if op == "in" else not found
    if isinstance(value, Decimal) or hasattr(value, "currency"):
        literal = parse_money(raw)
        if literal.currency != value.currency:
            return False
        value, literal = value.amount, literal.amount
    else:
        literal = parse_literal(
            "boolean"
            if isinstance(value, bool)
            else "integer"
            if isinstance(value, int)
            else "string",
            raw,
        )
    return {
        "eq": value == literal,
        "ne": value != literal,
        "gt": value > literal,
        "gte": value >= literal,
        "lt": value < literal,
        "lte": value <= literal,
    }[op]


def naive_fired(version_id: int, code: str, facts: dict) -> list[str]:
    rules = (
        TriggerRule.objects.filter(version_id=version_id, is_active=True)
        .filter(Q(transaction_type__code=code) | Q(transaction_type__isnull=True))
        .order_by("position", "id")
        .values_list("code", "condition")
    )
    return [rule_code for rule_code, condition in rules if naive_interpret(condition, facts)]


# --- Baseline 2: the rule-engine package ---------------------------------------------------------


def _symbol(path: str) -> str:
    return path.replace(".", "_")


def _literal(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value)
    return str(value)


RE_OPS = {"eq": "==", "ne": "!=", "gt": ">", "gte": ">=", "lt": "<", "lte": "<="}


def to_rule_engine(node: dict) -> str:
    if "all" in node:
        return " and ".join(f"({to_rule_engine(c)})" for c in node["all"]) or "true"
    if "any" in node:
        return " or ".join(f"({to_rule_engine(c)})" for c in node["any"])
    if "not" in node:
        return f"not ({to_rule_engine(node['not'])})"
    symbol, op, raw = _symbol(node["field"]), node["op"], node.get("value")
    if node["field"] == "elements.amount":
        money = parse_money(raw)
        return f'{symbol}_currency == "{money.currency}" and {symbol} {RE_OPS[op]} {money.amount}'
    if op == "in":
        return f"{symbol} in [{', '.join(_literal(v) for v in raw)}]"
    return f"{symbol} {RE_OPS[op]} {_literal(raw)}"


def rule_engine_rules(rules: list) -> list[tuple[str, rule_engine.Rule]]:
    context = rule_engine.Context(default_value=None)
    return [
        (
            rule_code,
            rule_engine.Rule(
                f'transaction_code == "{code}" and ({to_rule_engine(condition)})', context=context
            ),
        )
        for rule_code, code, condition in rules
    ]


def rule_engine_facts(facts: dict) -> dict:
    flat = {_symbol(key): value for key, value in facts.items()}
    amount = facts["elements.amount"]
    flat["elements_amount"] = amount.amount
    flat["elements_amount_currency"] = amount.currency
    return flat


def rule_engine_fired(compiled: list, facts: dict) -> list[str]:
    return [rule_code for rule_code, rule in compiled if rule.matches(facts)]


# --- Measuring ---------------------------------------------------------------------------------


def pct(samples: list[int], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] / 1000  # ns → µs


def measure_size(
    total: int, tx_count: int, rng: random.Random, transactions: list[TransactionInput]
) -> dict:
    """`transactions` are the same at every size: the A/B/C comparison takes the first
    `tx_count` of them (the baselines are slow at 10,000 rules), the engine-alone runs all."""
    rule_set_cache_clear()
    version, rules = build_version(total, rng)
    now = timezone.now()
    compiled = rule_set_in_force(now=now)
    re_rules = rule_engine_rules(rules)
    everything = []
    for tx in transactions:
        facts = facts_gather(
            rule_set=compiled,
            transaction=tx,
            elements=transaction_parse(rule_set=compiled, transaction=tx),
            now=now,
        )
        everything.append((tx, facts, rule_engine_facts(facts)))
    prepared = everything[:tx_count]
    for tx, facts, _flat in prepared[:50]:  # warm-up
        evaluate(transaction=tx, record=False)
        naive_fired(version.pk, tx.transaction_code, facts)
    timings = {"engine": [], "naive": [], "rule_engine": []}
    results: dict[str, list[list[str]]] = {name: [] for name in timings}
    clock = time.perf_counter_ns

    def run_engine(tx, facts, flat):
        # In-process evaluation on the facts, as the baselines get them: the rule set in
        # force (cached, re-checked once a second), matched and combined.
        decision = rule_set_in_force(now=timezone.now()).decide(
            tx.transaction_code, "counter", facts
        )
        return [reason.rule_code for reason in decision.reasons]

    runners = {
        "engine": run_engine,
        "naive": lambda tx, facts, flat: naive_fired(version.pk, tx.transaction_code, facts),
        "rule_engine": lambda tx, facts, flat: rule_engine_fired(re_rules, flat),
    }
    # A/B/C alternation by blocks: each implementation runs a block of transactions, then the
    # next one does, in an order that rotates every round. Interleaving per transaction would
    # measure each one with caches filled by the others (a 3 µs engine call after a 6 ms
    # rule-engine call runs cold); blocks keep the comparison fair and still alternate, so
    # drift in the machine's speed falls on all three alike.
    # Each block starts with a few untimed calls, for all three alike, so that what is timed
    # is the steady state of a process serving a stream of transactions.
    block = max(1, min(200, len(prepared) // 4))
    blocks = [prepared[i : i + block] for i in range(0, len(prepared), block)]
    order = ("engine", "naive", "rule_engine")
    for round_index, chunk in enumerate(blocks):
        rotated = order[round_index % 3 :] + order[: round_index % 3]
        for name in rotated:
            run = runners[name]
            for tx, facts, flat in chunk[:WARM_UP_CALLS]:
                run(tx, facts, flat)
            for tx, facts, flat in chunk:
                start = clock()
                fired = run(tx, facts, flat)
                timings[name].append(clock() - start)
                results[name].append(fired)
    disagreements = sum(
        1
        for engine, naive, other in zip(
            results["engine"], results["naive"], results["rule_engine"], strict=True
        )
        if not (engine == naive == other)
    )
    fired_total = sum(len(fired) for fired in results["engine"])
    # A longer engine-only run for the scaling figure.
    engine_only = []
    for tx, _facts, _flat in everything * max(1, 5000 // len(everything)):
        start = clock()
        evaluate(transaction=tx, record=False)
        engine_only.append(clock() - start)
    # The engine alone on facts (no input parsing), indexed and unindexed.
    unindexed = compile_rule_set(rule_set_spec(version=version), use_index=False)
    raw_indexed, raw_unindexed = [], []
    by_outcome: dict[bool, list[int]] = {False: [], True: []}  # did any rule fire?
    for tx, facts, _flat in everything * max(1, 5000 // len(everything)):
        start = clock()
        decision = compiled.decide(tx.transaction_code, "counter", facts)
        elapsed = clock() - start
        raw_indexed.append(elapsed)
        by_outcome[decision.required].append(elapsed)
    for tx, facts, _flat in everything * max(1, 5000 // len(everything)):
        start = clock()
        unindexed.decide(tx.transaction_code, "counter", facts)
        raw_unindexed.append(clock() - start)
    return {
        "rules": total,
        "transactions": tx_count,
        "disagreements": disagreements,
        "fired_per_tx": fired_total / tx_count,
        "timings": timings,
        "engine_only": engine_only,
        "raw_indexed": raw_indexed,
        "by_outcome": by_outcome,
        "raw_unindexed": raw_unindexed,
    }


def measure_unrelated(sizes: list[int], transactions: list[TransactionInput]) -> dict:
    """The engine and the evaluate() service on the same transactions, with rule sets of
    `sizes` rules of which all but the 100 of the smallest apply to none of them; alternating
    between the sizes in blocks, as above."""
    compiled_sets = {}
    for total in sizes:
        version, _rules = build_version(total, random.Random(0), unrelated_rules(total))
        compiled_sets[total] = compile_rule_set(rule_set_spec(version=version))
    now = timezone.now()
    any_set = compiled_sets[sizes[0]]
    prepared = [
        (
            tx,
            facts_gather(
                rule_set=any_set,
                transaction=tx,
                elements=transaction_parse(rule_set=any_set, transaction=tx),
                now=now,
            ),
        )
        for tx in transactions
    ]
    clock = time.perf_counter_ns
    engine: dict[int, list[int]] = {total: [] for total in sizes}
    service: dict[int, list[int]] = {total: [] for total in sizes}
    fired: dict[int, list[tuple[str, ...]]] = {total: [] for total in sizes}
    block = 200
    for round_index, first in enumerate(range(0, len(prepared), block)):
        chunk = prepared[first : first + block]
        shift = round_index % len(sizes)
        for total in sizes[shift:] + sizes[:shift]:
            compiled = compiled_sets[total]
            for tx, facts in chunk[:WARM_UP_CALLS]:
                compiled.decide(tx.transaction_code, "counter", facts)
                evaluate(transaction=tx, rule_set=compiled, now=now, record=False)
            for tx, facts in chunk:
                start = clock()
                decision = compiled.decide(tx.transaction_code, "counter", facts)
                engine[total].append(clock() - start)
                fired[total].append(tuple(reason.rule_code for reason in decision.reasons))
            for tx, _facts in chunk:
                start = clock()
                evaluate(transaction=tx, rule_set=compiled, now=now, record=False)
                service[total].append(clock() - start)
    same = all(fired[total] == fired[sizes[0]] for total in sizes)
    return {"engine": engine, "service": service, "same_answers": same}


# --- Endpoint vs bare DRF endpoint -------------------------------------------------------------

BARE_BODY: dict = {}


class BareView(APIView):
    def post(self, request):
        return Response(BARE_BODY)


urlpatterns = [
    path("bench/bare", BareView.as_view()),
    path("", include("bankcore.urls")),
]


def measure_endpoints(rounds: int, rng: random.Random) -> dict:
    unit = OrgUnit.objects.get_or_create(
        code="HO", defaults={"name": "HO", "kind": OrgUnitKind.HEAD_OFFICE}
    )[0]
    # The endpoint checks the branch a channel names: the bench's branches exist.
    for code in BRANCHES:
        OrgUnit.objects.get_or_create(
            code=code, defaults={"name": code, "kind": OrgUnitKind.OUTLET, "parent": unit}
        )
    user = user_ensure(
        username="bench-integrator",
        password="Bench-Pass-2026",  # noqa: S106 - throwaway bench database
        org_unit=unit,
        roles=[Role.INTEGRATOR],
    )
    token, _stored = api_token_create(user=user)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    payloads = []
    for tx in bench_transactions(200, rng):
        payloads.append(
            json.dumps(
                {
                    "transaction_code": tx.transaction_code,
                    "channel": tx.channel,
                    "branch_code": tx.branch_code,
                    "elements": tx.elements,
                }
            )
        )
    # The bare endpoint answers a body the size of a typical evaluate answer (one that fired).
    for payload in payloads:
        response = client.post(
            "/api/v1/authorization/evaluate", payload, content_type="application/json"
        )
        if response.status_code != 200:  # timing refusals would measure nothing
            raise SystemExit(f"evaluate answered {response.status_code}: {response.content!r}")
        body = response.json()
        if body.get("required"):
            BARE_BODY.clear()
            BARE_BODY.update(body)
            break
    timings = {"evaluate": [], "bare": []}
    clock = time.perf_counter_ns
    urls = {"evaluate": "/api/v1/authorization/evaluate", "bare": "/bench/bare"}
    block_totals: dict[str, list[int]] = {"evaluate": [], "bare": []}
    # CPU time of this process per block as well: it says what a request costs the server
    # and moves far less than elapsed time when other processes load the machine.
    block_cpu: dict[str, list[int]] = {"evaluate": [], "bare": []}
    # Alternating in blocks, as above: each endpoint serves a block of requests (after a few
    # untimed ones), then the other does; the order flips every block.
    block = min(200, max(1, rounds // 4))
    for block_index in range(max(1, rounds // block)):
        order = ("evaluate", "bare") if block_index % 2 else ("bare", "evaluate")
        chunk = [payloads[(block_index * block + i) % len(payloads)] for i in range(block)]
        for name in order:
            for payload in chunk[:WARM_UP_CALLS]:
                client.post(urls[name], payload, content_type="application/json")
            block_started, cpu_started = clock(), time.process_time_ns()
            for payload in chunk:
                start = clock()
                response = client.post(urls[name], payload, content_type="application/json")
                timings[name].append(clock() - start)
                assert response.status_code == 200, response.content
            block_totals[name].append(clock() - block_started)
            block_cpu[name].append((time.process_time_ns() - cpu_started) // len(chunk))
    # Throughput per pair of neighbouring blocks (same requests, one block each), and the median
    # over the pairs: a pause that happens to fall in one block does not decide the result.
    block_ratios = sorted(
        bare / evaluate
        for bare, evaluate in zip(block_totals["bare"], block_totals["evaluate"], strict=True)
    )
    return {
        "timings": timings,
        "body_bytes": len(json.dumps(BARE_BODY)),
        "block_ratios": block_ratios,
        "cpu_per_request": {name: statistics.median(cpu) for name, cpu in block_cpu.items()},
    }


def main() -> None:
    quick = ARGS.quick
    started = time.monotonic()
    database = settings.DATABASES["default"]
    print(
        f"Database: {database['ENGINE'].rsplit('.', 1)[-1]} {database['NAME']} "
        "(throwaway, removed at the end); migrating…"
    )
    call_command("migrate", verbosity=0)
    settings.ROOT_URLCONF = __name__
    # Measure as production runs: no DEBUG query log, no per-request static file lookups
    # (static files from an empty directory of the bench's own: none are requested).
    settings.DEBUG = False
    settings.WHITENOISE_AUTOREFRESH = False
    settings.STATIC_ROOT = Path(_TEMP_DIR) / "static"
    settings.STATIC_ROOT.mkdir()
    rng = random.Random(20260505)
    sizes = (
        [(100, 600), (1000, 300), (10000, 60)]
        if quick
        else [(100, 2000), (1000, 1000), (10000, 200)]
    )
    # The same transactions at every size (drawn once, from their own seed), so that the
    # sizes differ only by their rules.
    transactions = bench_transactions(600 if quick else 2000, random.Random(20261121))
    unrelated = measure_unrelated([total for total, _count in sizes], transactions)
    results = []
    for total, tx_count in sizes:
        result = measure_size(total, tx_count, rng, transactions)
        results.append(result)
        t = result["timings"]
        print(
            f"\n== {total:,} rules over {len(CODES)} transaction codes, {tx_count} transactions, "
            f"alternating; {result['fired_per_tx']:.2f} rules fire per transaction =="
        )
        print(
            f"  agreement: {'all three agree' if not result['disagreements'] else str(result['disagreements']) + ' DISAGREEMENTS'}"
        )
        for name, label in (
            ("engine", "evaluate in-process (facts)"),
            ("naive", "naive DB + interpret"),
            ("rule_engine", "rule-engine package"),
        ):
            print(
                f"  {label:<24} p50 {pct(t[name], 0.5):>10.1f} µs   p99 {pct(t[name], 0.99):>10.1f} µs"
            )
        e50 = pct(t["engine"], 0.5)
        print(
            f"  ratio naive/evaluate (p50): {pct(t['naive'], 0.5) / e50:,.0f}x   "
            f"rule-engine/evaluate (p50): {pct(t['rule_engine'], 0.5) / e50:,.0f}x"
        )
        print(
            f"  evaluate() service incl. input parsing, alone, {len(result['engine_only'])} calls: p50 {pct(result['engine_only'], 0.5):.1f} µs  p99 {pct(result['engine_only'], 0.99):.1f} µs"
        )
        print(
            f"  engine on facts: indexed p50 {pct(result['raw_indexed'], 0.5):.1f} µs; "
            f"unindexed (per-code tuple only) p50 {pct(result['raw_unindexed'], 0.5):.1f} µs"
        )
    small, large = results[0], results[-1]
    print(f"\n== Scaling: the same {len(transactions):,} transactions at every size ==")
    print(
        "  Rules added that apply to none of them (other branches and products), so every "
        "answer is the same: "
        + ("checked, all the same" if unrelated["same_answers"] else "ANSWERS DIFFER")
    )
    for key, label in (("engine", "engine"), ("service", "evaluate() service")):
        timings = unrelated[key]
        base = timings[small["rules"]]
        for total, measured in timings.items():
            if total == small["rules"]:
                continue
            print(
                f"  {label}, {total:,} rules / {small['rules']:,}: "
                f"p50 {pct(base, 0.5):.1f} → {pct(measured, 0.5):.1f} µs = "
                f"{pct(measured, 0.5) / pct(base, 0.5):.2f}x; "
                f"mean {statistics.mean(base) / 1000:.1f} → {statistics.mean(measured) / 1000:.1f} µs"
                f" = {statistics.mean(measured) / statistics.mean(base):.2f}x (target ≤ 2x)"
            )
    print(
        f"  The rule sets above, where more rules apply to the same transactions as the set "
        f"grows ({small['fired_per_tx']:.2f} → {large['fired_per_tx']:.2f} rules fire per "
        f"transaction), {large['rules']:,} rules / {small['rules']:,}:"
    )
    for key, label in (("raw_indexed", "engine"), ("engine_only", "evaluate() service")):
        a, z = small[key], large[key]
        print(
            f"  {label}: p50 {pct(a, 0.5):.1f} → {pct(z, 0.5):.1f} µs = "
            f"{pct(z, 0.5) / pct(a, 0.5):.2f}x; mean {statistics.mean(a) / 1000:.1f} → "
            f"{statistics.mean(z) / 1000:.1f} µs = {statistics.mean(z) / statistics.mean(a):.2f}x"
        )
    # Building a decision with explanations, scene, images and review points costs more than
    # finding that nothing applies, so the share of transactions that fire moves the p50.
    for fired, label in ((False, "no rule fired"), (True, "a rule fired (decision built)")):
        small_t, large_t = small["by_outcome"][fired], large["by_outcome"][fired]
        if small_t and large_t:
            print(
                f"  engine, {label}: p50 {pct(small_t, 0.5):.1f} µs → {pct(large_t, 0.5):.1f} µs "
                f"= {pct(large_t, 0.5) / pct(small_t, 0.5):.2f}x "
                f"({len(small_t) * 100 // len(small['raw_indexed'])}% → "
                f"{len(large_t) * 100 // len(large['raw_indexed'])}% of transactions)"
            )
    print(
        f"  engine on facts, unindexed: {pct(large['raw_unindexed'], 0.5) / pct(small['raw_unindexed'], 0.5):.2f}x "
        "(the per-code tuple alone grows with the rules of that code)"
    )
    endpoint = measure_endpoints(400 if quick else 4000, rng)
    t = endpoint["timings"]
    ev, bare = statistics.mean(t["evaluate"]), statistics.mean(t["bare"])
    print("\n== Endpoint through the test client, alternating (one INSERT per evaluation) ==")
    print(
        f"  body {endpoint['body_bytes']} bytes; evaluate p50 {pct(t['evaluate'], 0.5):.0f} µs p99 {pct(t['evaluate'], 0.99):.0f} µs; "
        f"bare DRF p50 {pct(t['bare'], 0.5):.0f} µs p99 {pct(t['bare'], 0.99):.0f} µs"
    )
    ratios = endpoint["block_ratios"]
    print(
        f"  evaluate throughput = {statistics.median(ratios) * 100:.0f}% of the bare endpoint's "
        f"(median over {len(ratios)} block pairs, range {ratios[0] * 100:.0f} to {ratios[-1] * 100:.0f}%; "
        f"all requests pooled {bare / ev * 100:.0f}%) (target ≥ 70%)"
    )
    cpu = endpoint["cpu_per_request"]
    print(
        f"  CPU per request (median over blocks): evaluate {cpu['evaluate'] / 1000:.0f} µs, "
        f"bare {cpu['bare'] / 1000:.0f} µs = {cpu['bare'] / cpu['evaluate'] * 100:.0f}% "
        "(less moved by other processes than the elapsed times)"
    )
    print(f"\nTotal time {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
