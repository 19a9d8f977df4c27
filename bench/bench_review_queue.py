"""Benchmark of the review queue (issue 9) on PostgreSQL. Not a test: prints numbers measured
in one run.

    .venv/bin/python bench/bench_review_queue.py [--seconds 60] [--threads 16]
                                                 [--server postgres://postgres@127.0.0.1:5432]
                                                 [--database bench_review_queue_<pid>]

Creates its own database on the server (`--database`, dropped first if it exists), migrates
it, and drops it at the end (also after an error or Ctrl-C). Then, with `--threads` worker threads (one
authorizer and one database connection each) against a queue of identical remote-centralized
requests, each worker loops "claim the next request, then decide it" for `--seconds`:

- **raw SQL baseline**: the same two transactions straight through psycopg 3: (1) `SELECT … FOR
  UPDATE SKIP LOCKED` of the highest-priority, oldest eligible request (the same eligibility
  condition: state, mode, level, amount limit, not the submitter, not the first approver), the
  compare-and-set `UPDATE` to in review with a lease, the hash-chained trail event and the
  trail head; (2) the compare-and-set `UPDATE` to rejected by the holder, the trail event and
  the head. Nothing else: no permission, scoping or reason-code checks, no ORM.
- **services**: `request_claim_next` then `request_reject` (reason code, comment), i.e. what
  the API calls: the authorizer's scope (delegations, limits; roles cached on the user), the
  queue query with SKIP LOCKED (which also reads the trail's head and whether a webhook
  subscription matches), the compare-and-set UPDATE that moves the trail's head, the event's
  INSERT; the decision reads and locks the request in one query, checks visibility and
  eligibility again and the reason code in the catalogue. These statements are written with
  the ORM and compiled once per connection (bankcore.prepared), as in the tests.

The queue is kept at `--depth` waiting requests (2,000 by default) during every run: a thread
tops it up every 0.2 s, like a steady inflow of work. Both contenders face the same queue (the
claim query's cost grows with the number of waiting requests), and a run measures the steady
state rather than a queue draining away. Each contender first runs 5 s untimed (warm-up). It
then counts double claims (a request with two "claimed" events, or claimed by two workers: must
be 0) and requests decided twice, checks the trail's hash chains of a sample, and prints
throughput (decisions per second), the services/raw ratio (target >= 50%), the services
throughput in the first and last 10 s of the run (steady: within 30%), and each run's
throughput per 10 s. The timed runs go raw, services, raw: the services are compared with the
mean of the two raw runs around them, so a change of the machine's load during the bench
falls on both sides.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REASON_CODE = "IDENTITY_DOUBT"
COMMENT = "bench"
AMOUNT, LIMIT = Decimal("60000.00"), Decimal("100000.00")
WARM_UP_SECONDS = 5.0
CONTENDERS = ("raw", "services")
TIMED_ORDER = ("raw", "services", "raw")
LEASE_SECONDS = 600


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Review queue claim+decide throughput: services against raw SQL with SKIP "
        "LOCKED (PostgreSQL; makes and drops its own database).",
    )
    parser.add_argument("--seconds", type=float, default=60.0, help="timed run per contender")
    parser.add_argument("--threads", type=int, default=16, help="worker threads (authorizers)")
    parser.add_argument(
        "--processes",
        type=int,
        default=1,
        help="spread the threads over this many worker processes, as gunicorn or Celery run "
        "them (default: %(default)s, all threads in one process: the target's setting)",
    )
    parser.add_argument(
        "--depth",
        type=int,
        default=2000,
        help="requests kept waiting in the queue during each run (default: %(default)s)",
    )
    parser.add_argument(
        "--server",
        default="postgres://postgres@127.0.0.1:5432",
        help="PostgreSQL server URL without a database name (default: %(default)s)",
    )
    parser.add_argument(
        "--database",
        default=f"bench_review_queue_{os.getpid()}",
        help="name of the database the bench creates (dropped first if it exists, and at the "
        "end; default: %(default)s)",
    )
    return parser.parse_args()


# --- Database lifetime ---------------------------------------------------------------------------


def database_create(server: str, name: str) -> None:
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')


def database_drop(server: str, name: str) -> None:
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def django_start(url: str) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "bankcore.settings.base",
            "DATABASE_URL": url,
            "DEBUG": "0",  # production-like: no query log
            "SECRET_KEY": "bench-only-secret-key-bench-only-secret-key-0123456789",
            "REDIS_URL": "",
            "LOG_LEVEL": "WARNING",
            "CONN_MAX_AGE": "600",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


# --- Data --------------------------------------------------------------------------------------


@dataclass
class World:
    teller_id: int
    authorizers: list  # User instances, one per thread
    template_request_id: int
    template_evaluation_id: int


def world_create(threads: int) -> World:
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from authorization.models import (
        AuthorizationRequest,
        AuthorizerLimit,
        EvaluatedTransaction,
        RuleSetVersion,
    )
    from bankcore.models import OrgUnit, OrgUnitKind, User
    from bankcore.roles import Role

    now = timezone.now()
    ho = OrgUnit.objects.create(code="HO", name="Head Office", kind=OrgUnitKind.HEAD_OFFICE)
    bj = OrgUnit.objects.create(code="BJ", name="Beijing", kind=OrgUnitKind.BRANCH, parent=ho)
    bj01 = OrgUnit.objects.create(code="BJ01", name="Chaoyang", kind=OrgUnitKind.OUTLET, parent=bj)
    rac = OrgUnit.objects.create(
        code="RAC", name="Remote", kind=OrgUnitKind.AUTHORIZATION_CENTER, parent=ho
    )
    teller = User.objects.create_user("teller1", password=None, org_unit=bj01)
    teller.groups.add(Group.objects.get(name=str(Role.TELLER)))
    authorizer_group = Group.objects.get(name=str(Role.REMOTE_AUTHORIZER))
    authorizers = []
    for index in range(threads):
        user = User.objects.create_user(
            f"authorizer{index:02d}", password=None, org_unit=rac, authorization_level=1
        )
        user.groups.add(authorizer_group)
        AuthorizerLimit.objects.create(user=user, currency="CNY", max_amount=LIMIT)
        authorizers.append(User.objects.select_related("org_unit").get(pk=user.pk))
    version = RuleSetVersion.objects.create(number=1, created_at=now)
    evaluation = EvaluatedTransaction.objects.create(
        version=version,
        transaction_code="CASH_WITHDRAWAL",
        channel="counter",
        branch_code="BJ01",
        teller="teller1",
        elements={"amount": {"amount": str(AMOUNT), "currency": "CNY"}},
        required=True,
        mode="remote_centralized",
        level=1,
        evaluated_at=now,
        evaluated_by=teller,
    )
    template = AuthorizationRequest.objects.create(
        reference="TEMPLATE",
        evaluation=evaluation,
        version=version,
        transaction_code="CASH_WITHDRAWAL",
        channel="counter",
        branch=bj01,
        submitted_by=teller,
        elements=evaluation.elements,
        amount=AMOUNT,
        currency="CNY",
        decision={"mode": "remote_centralized", "level": 1, "review_points": []},
        mode="remote_centralized",
        authorizer_role="remote_authorizer",
        level=1,
        time_limit_minutes=None,
        state="cancelled",  # the model of the queue's requests, never in it itself
        submitted_at=now,
        updated_at=now,
    )
    return World(teller.pk, authorizers, template.pk, evaluation.pk)


def queue_fill(world: World, *, count: int, tag: str, analyze: bool = True) -> None:
    """`count` queued requests like the template, referenced `<tag>…`, in two INSERT … SELECTs."""
    from django.db import connection

    from authorization.models import AuthorizationRequest, EvaluatedTransaction

    def columns(model, skip):
        return [f.column for f in model._meta.concrete_fields if f.column not in skip]

    evaluation_columns = columns(EvaluatedTransaction, {"id", "reference", "evaluated_at"})
    request_columns = columns(
        AuthorizationRequest,
        {"id", "reference", "evaluation_id", "state", "queued_at", "submitted_at", "updated_at"},
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH new_evaluations AS (
                INSERT INTO authorization_evaluatedtransaction
                    (reference, evaluated_at, {", ".join(evaluation_columns)})
                SELECT gen_random_uuid(), now(), {", ".join(evaluation_columns)}
                FROM authorization_evaluatedtransaction, generate_series(1, %(count)s)
                WHERE id = %(evaluation)s
                RETURNING id
            ), numbered AS (
                SELECT id, row_number() OVER (ORDER BY id) AS n FROM new_evaluations
            )
            INSERT INTO authorization_authorizationrequest
                (reference, evaluation_id, state, queued_at, submitted_at, updated_at,
                 {", ".join(request_columns)})
            SELECT %(tag)s || lpad(numbered.n::text, 10, '0'), numbered.id, 'queued',
                   now() - make_interval(secs => %(count)s - numbered.n), now(), now(),
                   {", ".join("t." + c for c in request_columns)}
            FROM numbered, authorization_authorizationrequest t
            WHERE t.id = %(template)s
            """,  # noqa: S608 (column names from the models, values as parameters)
            {
                "count": count,
                "evaluation": world.template_evaluation_id,
                "template": world.template_request_id,
                "tag": tag,
            },
        )
        if analyze:
            cursor.execute("ANALYZE")


def queue_close(tag: str) -> int:
    """What a contender left in the queue is cancelled, so the next one starts clean."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE authorization_authorizationrequest SET state = 'cancelled' "
            "WHERE reference LIKE %s AND state IN ('queued', 'in_review')",
            [tag + "%"],
        )
        return cursor.rowcount


def queue_depth() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM authorization_authorizationrequest WHERE state = 'queued'"
        )
        return cursor.fetchone()[0]


class Refill:
    """Keeps `depth` requests queued while a contender runs (a steady inflow of work): checks
    every 0.2 s and tops the queue up in one INSERT … SELECT."""

    def __init__(self, world: World, *, depth: int, tag: str):
        self.world, self.depth, self.tag = world, depth, tag
        self.batches = 0
        self.added = 0

    def __call__(self, stop: threading.Event) -> None:
        from django.db import connection

        try:
            while not stop.wait(0.2):
                missing = self.depth - queue_depth()
                if missing > 0:
                    self.batches += 1
                    queue_fill(
                        self.world,
                        count=missing,
                        tag=f"{self.tag}{self.batches:04d}",
                        analyze=False,
                    )
                    self.added += missing
        finally:
            connection.close()


# --- Contenders --------------------------------------------------------------------------------


def services_worker(user):
    from authorization.services.requests import request_claim_next, request_reject
    from authorization.services.trail import Actor

    actor = Actor(user=user, terminal="BENCH")

    def step() -> str | None:
        claimed = request_claim_next(actor=actor)
        if claimed is None:
            return None
        request_reject(
            reference=claimed.reference, actor=actor, reason_code=REASON_CODE, comment=COMMENT
        )
        return claimed.reference

    return step


_MILLI = Decimal("0.001")


def _event_hash(reference: str, event: dict) -> str:
    """The trail's hash (authorization/services/trail.py), so that both contenders write
    trails that `trail_verify` accepts."""
    body = {
        "request": reference,
        **{k: event[k] for k in ("seq", "kind", "from_state", "to_state", "mode", "level")},
        "actor": event["actor_username"],
        "actor_unit": event["actor_unit_code"],
        "occurred_at": event["occurred_at"].astimezone(UTC).isoformat(),
        "seconds_since_previous": str(event["seconds_since_previous"]),
        "ip_address": "",
        "user_agent": "",
        "terminal": "BENCH",
        "reason_code": event["reason_code"],
        "details": event["details"],
        "prev_hash": event["prev_hash"],
    }
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


CLAIM_SQL = """
SELECT id, reference, mode, level, submitted_at
FROM authorization_authorizationrequest
WHERE (state = 'queued' OR (state = 'in_review' AND lease_expires_at < %(now)s))
  AND mode = 'remote_centralized' AND level <= %(level)s
  AND (amount IS NULL OR (currency = 'CNY' AND amount <= %(limit)s))
  AND submitted_by_id <> %(me)s
  AND (first_approver_id IS NULL OR first_approver_id <> %(me)s)
ORDER BY priority DESC, queued_at, id
LIMIT 1
FOR UPDATE SKIP LOCKED
"""
EVENT_SQL = """
INSERT INTO authorization_requestevent
    (request_id, seq, kind, from_state, to_state, actor_id, actor_username, actor_unit_code,
     occurred_at, seconds_since_previous, ip_address, user_agent, terminal, mode, level,
     reason_code, details, prev_hash, hash)
VALUES (%(request)s, %(seq)s, %(kind)s, %(from_state)s, %(to_state)s, %(actor)s,
        %(actor_username)s, %(actor_unit_code)s, %(occurred_at)s, %(seconds_since_previous)s,
        '', '', 'BENCH', %(mode)s, %(level)s, %(reason_code)s, %(details_json)s, %(prev_hash)s,
        %(hash)s)
"""
HEAD_SQL = (
    "UPDATE authorization_authorizationrequest SET trail_length = trail_length + 1, "
    "trail_head_hash = %s WHERE id = %s"
)


def _event(cursor, *, request, reference, seq, prev, since, now, **fields) -> None:
    event = {
        "request": request,
        "seq": seq,
        "occurred_at": now,
        "seconds_since_previous": Decimal(max((now - since).total_seconds(), 0)).quantize(_MILLI),
        "prev_hash": prev,
        "details": fields.pop("details", {}),
        **fields,
    }
    event["details_json"] = json.dumps(event["details"])
    event["hash"] = _event_hash(reference, event)
    cursor.execute(EVENT_SQL, event)
    cursor.execute(HEAD_SQL, (event["hash"], request))


def raw_worker(user, url: str):
    connection = psycopg.connect(url)
    me, username, unit = user.pk, user.username, user.org_unit.code
    who = {"actor": me, "actor_username": username, "actor_unit_code": unit}

    def step() -> str | None:
        now = datetime.now(UTC)
        with connection.transaction(), connection.cursor() as cursor:
            cursor.execute(CLAIM_SQL, {"now": now, "level": 1, "limit": LIMIT, "me": me})
            row = cursor.fetchone()
            if row is None:
                return None
            request, reference, mode, level, submitted_at = row
            cursor.execute(
                "UPDATE authorization_authorizationrequest SET state = 'in_review', "
                "claimed_by_id = %s, claimed_at = %s, lease_expires_at = %s, updated_at = %s "
                "WHERE id = %s AND state = 'queued'",
                (me, now, now + timedelta(seconds=LEASE_SECONDS), now, request),
            )
            assert cursor.rowcount == 1
            _event(
                cursor,
                request=request,
                reference=reference,
                seq=1,
                prev="",
                since=submitted_at,
                now=now,
                kind="claimed",
                from_state="queued",
                to_state="in_review",
                mode=mode,
                level=level,
                reason_code="",
                **who,
            )
        decided_at = datetime.now(UTC)
        with connection.transaction(), connection.cursor() as cursor:
            cursor.execute(
                "UPDATE authorization_authorizationrequest SET state = 'rejected', "
                "decided_by_id = %s, decided_at = %s, decision_reason_code = %s, "
                "decision_comment = %s, updated_at = %s "
                "WHERE id = %s AND state = 'in_review' AND claimed_by_id = %s",
                (me, decided_at, REASON_CODE, COMMENT, decided_at, request, me),
            )
            assert cursor.rowcount == 1
            cursor.execute(
                "SELECT seq, hash, occurred_at FROM authorization_requestevent "
                "WHERE request_id = %s ORDER BY seq DESC LIMIT 1",
                (request,),
            )
            seq, prev, since = cursor.fetchone()
            _event(
                cursor,
                request=request,
                reference=reference,
                seq=seq + 1,
                prev=prev,
                since=since,
                now=decided_at,
                kind="rejected",
                from_state="in_review",
                to_state="rejected",
                mode=mode,
                level=level,
                reason_code=REASON_CODE,
                details={"comment": COMMENT},
                **who,
            )
        return reference

    step.close = connection.close
    return step


# --- Running -----------------------------------------------------------------------------------


@dataclass
class Run:
    name: str
    seconds: float
    done_at: list[float] = field(default_factory=list)  # seconds since start, per decision
    references: list[str] = field(default_factory=list)
    errors: list[BaseException] = field(default_factory=list)
    ran_dry: bool = False

    @property
    def throughput(self) -> float:
        return sum(1 for t in self.done_at if t <= self.seconds) / self.seconds

    def window(self, start: float, end: float) -> float:
        return sum(1 for t in self.done_at if start <= t < end) / (end - start)


def run(name: str, steps: list, seconds: float, refill: Refill) -> Run:
    from django.db import connection as django_connection

    result = Run(name, seconds)
    lock = threading.Lock()
    barrier = threading.Barrier(len(steps) + 1)
    clock = {"start": 0.0}

    def loop(step) -> None:
        done_at, references = [], []
        try:
            barrier.wait()
            deadline = clock["start"] + seconds
            while time.perf_counter() < deadline:
                reference = step()
                if reference is None:
                    result.ran_dry = True
                    break
                done_at.append(time.perf_counter() - clock["start"])
                references.append(reference)
        except BaseException as exc:
            result.errors.append(exc)
        finally:
            with lock:
                result.done_at.extend(done_at)
                result.references.extend(references)
            django_connection.close()

    threads = [threading.Thread(target=loop, args=(step,)) for step in steps]
    stop = threading.Event()
    refiller = threading.Thread(target=refill, args=(stop,))
    for thread in threads:
        thread.start()
    refiller.start()
    clock["start"] = time.perf_counter()
    barrier.wait()
    for thread in threads:
        thread.join()
    stop.set()
    refiller.join()
    return result


PROCESSES = 1


def run_in_processes(name: str, world: World, url: str, seconds: float, refill: Refill) -> Run:
    """`run` with the authorizers spread over PROCESSES forked processes (threads in each),
    started at one moment; the refill thread stays in this process."""
    import multiprocessing

    from django.db import connections

    connections.close_all()  # no connection crosses the fork
    context = multiprocessing.get_context("fork")
    start_at = time.time() + 3.0
    pipes, children = [], []
    for index in range(PROCESSES):
        receiver, sender = context.Pipe(duplex=False)
        authorizers = world.authorizers[index::PROCESSES]

        def child(authorizers=authorizers, sender=sender) -> None:
            steps = contender_steps(name, World(0, authorizers, 0, 0), url)
            time.sleep(max(start_at - time.time(), 0))
            result = run(name, steps, seconds, lambda stop: None)
            steps_close(steps)
            sender.send(
                (
                    result.done_at,
                    result.references,
                    [repr(e) for e in result.errors],
                    result.ran_dry,
                )
            )

        process = context.Process(target=child)
        process.start()
        pipes.append(receiver)
        children.append(process)
    stop = threading.Event()
    refiller = threading.Thread(target=refill, args=(stop,))
    refiller.start()
    result = Run(name, seconds)
    for receiver in pipes:
        done_at, references, errors, ran_dry = receiver.recv()
        result.done_at.extend(done_at)
        result.references.extend(references)
        result.errors.extend(RuntimeError(error) for error in errors)
        result.ran_dry = result.ran_dry or ran_dry
    for process in children:
        process.join()
    stop.set()
    refiller.join()
    return result


def contender_run(name: str, world: World, url: str, seconds: float, refill: Refill) -> Run:
    if PROCESSES > 1:
        return run_in_processes(name, world, url, seconds, refill)
    steps = contender_steps(name, world, url)
    result = run(name, steps, seconds, refill)
    steps_close(steps)
    return result


def contender_steps(name: str, world: World, url: str) -> list:
    if name == "services":
        return [services_worker(user) for user in world.authorizers]
    return [raw_worker(user, url) for user in world.authorizers]


def steps_close(steps: list) -> None:
    for step in steps:
        if hasattr(step, "close"):
            step.close()


def warm_up(name: str, world: World, url: str, depth: int) -> float:
    """An untimed run; returns its rate (decisions per second)."""
    tag = f"W{name[0].upper()}"
    queue_fill(world, count=depth, tag=f"{tag}0000")
    warm = contender_run(name, world, url, WARM_UP_SECONDS, Refill(world, depth=depth, tag=tag))
    queue_close(tag)
    if warm.errors:
        raise warm.errors[0]
    return len(warm.references) / WARM_UP_SECONDS


def measure(
    name: str, world: World, url: str, seconds: float, depth: int, *, number: int
) -> tuple[Run, dict]:
    """The timed run with `depth` requests kept queued; returns it with its checks."""
    tag = f"T{name[0].upper()}{number}"
    queue_fill(world, count=depth, tag=f"{tag}0000")
    timed = contender_run(name, world, url, seconds, Refill(world, depth=depth, tag=tag))
    left = queue_close(tag)
    if timed.errors:
        raise timed.errors[0]
    return timed, checks(timed, tag=tag, left=left)


def checks(result: Run, *, tag: str, left: int) -> dict:
    from django.db import connection

    from authorization.services.trail import trail_verify

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT
              count(*) FILTER (WHERE claims > 1),
              count(*) FILTER (WHERE decisions > 1),
              count(*) FILTER (WHERE decisions = 1)
            FROM (
              SELECT r.id,
                     count(*) FILTER (WHERE e.kind = 'claimed') AS claims,
                     count(*) FILTER (WHERE e.kind = 'rejected') AS decisions
              FROM authorization_authorizationrequest r
              JOIN authorization_requestevent e ON e.request_id = r.id
              WHERE r.reference LIKE %s
              GROUP BY r.id
            ) per_request
            """,
            [tag + "%"],
        )
        double_claims, double_decisions, decided = cursor.fetchone()
    by_workers = len(result.references) - len(set(result.references))
    sample = random.Random(7).sample(result.references, min(2000, len(result.references)))
    report = trail_verify(references=sample)
    return {
        "double_claims": double_claims + by_workers,
        "double_decisions": double_decisions,
        "decided": decided,
        "left_in_queue": left,
        "trail_ok": report.ok and report.requests_checked == len(sample),
    }


def main() -> None:
    global PROCESSES
    args = parse_args()
    PROCESSES = max(1, min(args.processes, args.threads))
    if args.seconds < 20:
        sys.exit("--seconds must be at least 20 (the first and last 10 s are compared)")
    name = args.database
    url = f"{args.server}/{name}"
    database_drop(args.server, name)
    database_create(args.server, name)
    try:
        django_start(url)
        world = world_create(args.threads)
        print(
            f"review queue: {args.threads} threads in {PROCESSES} process(es), "
            f"{args.seconds:.0f} s per contender, "
            f"PostgreSQL database {name} (dropped at the end), {os.cpu_count()} CPU cores"
        )
        rates = {c: warm_up(c, world, url, args.depth) for c in CONTENDERS}
        print(
            f"queue kept at {args.depth:,} requests (topped up every 0.2 s); warm-up (5 s): "
            + ", ".join(f"{c} {rate:.1f}/s" for c, rate in rates.items())
        )
        # Raw, services, raw: the services' run is bracketed by two raw runs and compared with
        # their mean, so a change in the machine's load during the bench falls on both sides.
        runs = [
            (contender, measure(contender, world, url, args.seconds, args.depth, number=number))
            for number, contender in enumerate(TIMED_ORDER, start=1)
        ]
        print()
        print(
            f"{'contender':<10} {'decisions/s':>12} {'first 10 s':>11} {'last 10 s':>10} "
            f"{'last/first':>11} {'double claims':>14} {'decided twice':>14} {'trails':>7}"
        )
        for contender, (result, check) in runs:
            first = result.window(0, 10)
            last = result.window(args.seconds - 10, args.seconds)
            print(
                f"{contender:<10} {result.throughput:>12.1f} {first:>11.1f} {last:>10.1f} "
                f"{last / first if first else 0:>11.2f} {check['double_claims']:>14} "
                f"{check['double_decisions']:>14} {'ok' if check['trail_ok'] else 'BROKEN':>7}"
            )
            if result.ran_dry:
                print(f"  the {contender} queue ran dry before the end")
        print()
        print("decisions/s per 10 s of each timed run:")
        for contender, (result, _check) in runs:
            windows = [
                result.window(start, start + 10) for start in range(0, int(args.seconds) - 9, 10)
            ]
            print(f"  {contender:<9} " + " ".join(f"{w:7.1f}" for w in windows))
        raws = [result.throughput for contender, (result, _c) in runs if contender == "raw"]
        services = next(result for contender, (result, _c) in runs if contender == "services")
        raw_mean = sum(raws) / len(raws)
        ratio = services.throughput / raw_mean
        first = services.window(0, 10)
        last = services.window(args.seconds - 10, args.seconds)
        drift = abs(last - first) / first if first else float("inf")
        doubles = sum(check["double_claims"] for _name, (_r, check) in runs)
        print()
        print(
            f"services / raw throughput: {ratio:.0%} (target >= 50%; raw = mean of the runs "
            f"before and after, {' and '.join(f'{r:.1f}' for r in raws)}/s)"
        )
        print(
            f"services steady: last 10 s vs first 10 s {drift:.0%} apart "
            f"({first:.1f} and {last:.1f}/s; target within 30%)"
        )
        print(f"double claims: {doubles} (must be 0)")
        for contender, (result, check) in runs:
            print(
                f"  {contender}: {check['decided']} decided exactly once in the timed run, "
                f"{check['left_in_queue']} left in the queue (cancelled), "
                f"{len(result.errors)} errors"
            )
    finally:
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: S110 (Django may not have started)
            pass
        database_drop(args.server, name)


if __name__ == "__main__":
    main()
