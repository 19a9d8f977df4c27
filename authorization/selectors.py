"""Reads of the authorization app: rule-set versions, their specifications, and the compiled
rule set in force (cached per version in-process, invalidated across processes)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import Max, Prefetch
from django.utils import translation
from django.utils.translation import gettext_lazy

from bankcore.cache import ProcessMemo, ProcessValue
from bankcore.catalogues import CATALOGUE_LANGUAGES, catalogue_language
from bankcore.errors import NotFound

from .models import (
    EvaluatedTransaction,
    ImageRequirement,
    RequestEvent,
    ReviewPointSeverity,
    RuleSetPublication,
    RuleSetStatus,
    RuleSetVersion,
    Scene,
    SceneImageRule,
    TransactionType,
    TriggerRule,
)
from .rules.compiler import (
    CompiledRuleSet,
    ImageRef,
    ProcessingSpec,
    ReviewPointRef,
    RuleSetSpec,
    RuleSpec,
    SceneSpec,
    TransactionSpec,
    compile_rule_set,
)
from .value_names import value_names


class NoPublishedRuleSet(NotFound):
    code = "no_published_rule_set"
    default_message = gettext_lazy("No authorization rule set is in force.")


class RuleSetVersionNotFound(NotFound):
    code = "rule_set_version_not_found"
    default_message = gettext_lazy("No rule-set version has this number.")


def rule_set_version_get(*, number: int) -> RuleSetVersion:
    try:
        return RuleSetVersion.objects.get(number=number)
    except RuleSetVersion.DoesNotExist:
        raise RuleSetVersionNotFound() from None


def rule_set_version_draft() -> RuleSetVersion | None:
    return RuleSetVersion.objects.filter(status=RuleSetStatus.DRAFT).first()


def rule_set_version_list() -> list[RuleSetVersion]:
    return list(
        RuleSetVersion.objects.select_related("published_by", "created_by").order_by("-number")
    )


def rule_set_version_in_force_id(*, now: datetime) -> int | None:
    """Straight from the database: the version of the latest publication in effect at `now`."""
    return (
        RuleSetPublication.objects.filter(effective_at__lte=now)
        .order_by("-effective_at", "-id")
        .values_list("version_id", flat=True)
        .first()
    )


def rule_set_spec(*, version: RuleSetVersion, language: str | None = None) -> RuleSetSpec:
    """Everything the compiler needs from one version, in a fixed number of queries; names in
    `language` (the active one by default)."""
    return rule_set_specs(version=version, languages=(catalogue_language(language),))[
        catalogue_language(language)
    ]


def rule_set_specs(
    *, version: RuleSetVersion, languages: tuple[str, ...] = CATALOGUE_LANGUAGES
) -> dict[str, RuleSetSpec]:
    """The version's specification once per catalogue language, from one read of its rows
    (each row holds every language: the names are picked per language from memory)."""
    transaction_rows = list(
        TransactionType.objects.filter(version=version).prefetch_related("elements")
    )
    rule_rows = list(
        TriggerRule.objects.filter(version=version, is_active=True)
        .select_related("reason", "transaction_type")
        .prefetch_related("trigger_systems")
        .order_by("position", "id")
    )
    processing_rows = list(
        version.processing_rules.select_related("reason", "scene").order_by("id")
    )
    scene_rows = list(
        Scene.objects.filter(version=version)
        .select_related("transaction_type", "channel")
        .prefetch_related(
            Prefetch(
                "image_rules",
                queryset=SceneImageRule.objects.select_related("image_type", "image_combination")
                .prefetch_related("image_combination__image_types")
                .order_by("id"),
            ),
            "review_rules__points",
        )
        .order_by("id")
    )
    channel_rows = list(version.trigger_systems.all())
    reason_rows = list(version.trigger_reasons.all())
    specs = {}
    for language in languages:
        with translation.override(language):
            specs[language] = _rule_set_spec(
                version,
                transaction_rows=transaction_rows,
                rule_rows=rule_rows,
                processing_rows=processing_rows,
                scene_rows=scene_rows,
                channel_rows=channel_rows,
                reason_rows=reason_rows,
            )
    return specs


def _rule_set_spec(
    version, *, transaction_rows, rule_rows, processing_rows, scene_rows, channel_rows, reason_rows
) -> RuleSetSpec:
    transactions = {
        tx.code: TransactionSpec(
            code=tx.code,
            name=tx.name,
            business_type=tx.business_type,
            elements={el.name: el.element_type for el in tx.elements.all()},
            required_elements=frozenset(el.name for el in tx.elements.all() if el.is_required),
            labels={el.name: el.label or el.name for el in tx.elements.all()},
        )
        for tx in transaction_rows
    }
    rules = tuple(
        RuleSpec(
            code=rule.code,
            name=rule.name,
            reason_code=rule.reason.code,
            transaction_code=rule.transaction_type.code if rule.transaction_type else None,
            trigger_systems=tuple(system.code for system in rule.trigger_systems.all()),
            condition=rule.condition,
            position=rule.position,
        )
        for rule in rule_rows
    )
    processing = tuple(
        ProcessingSpec(
            code=item.code,
            reason_code=item.reason.code,
            outcome=item.outcome,
            mode=item.mode,
            level=item.level,
            authorizer_role=item.authorizer_role,
            authorizers_required=item.authorizers_required,
            time_limit_minutes=item.time_limit_minutes,
            escalation_level=item.escalation_level,
            scene_code=item.scene.code if item.scene else None,
        )
        for item in processing_rows
    )
    return RuleSetSpec(
        version_id=version.pk,
        version_number=version.number,
        transactions=transactions,
        channels=frozenset(channel.code for channel in channel_rows),
        reasons={reason.code: reason.name for reason in reason_rows},
        rules=rules,
        processing=processing,
        scenes=tuple(_scene_spec(scene) for scene in scene_rows),
        value_names=value_names(
            known={
                "transaction": {code: tx.name for code, tx in transactions.items()},
                "channel": {channel.code: channel.name for channel in channel_rows},
            }
        ),
    )


def _scene_spec(scene: Scene) -> SceneSpec:
    required: list[ImageRef] = []
    optional: list[ImageRef] = []
    for rule in scene.image_rules.all():
        types = (
            [rule.image_type]
            if rule.image_type
            else sorted(rule.image_combination.image_types.all(), key=lambda t: t.pk)
        )
        target = required if rule.requirement == ImageRequirement.REQUIRED else optional
        target.extend(ImageRef(t.code, t.name, t.kind, rule.min_count) for t in types)
    points = [
        ReviewPointRef(point.code, point.text, point.severity == ReviewPointSeverity.MANDATORY)
        for review_rule in sorted(scene.review_rules.all(), key=lambda r: (r.position, r.pk))
        for point in sorted(review_rule.points.all(), key=lambda p: (p.position, p.pk))
    ]
    return SceneSpec(
        code=scene.code,
        name=scene.name,
        classification=scene.classification,
        business_type=scene.business_type,
        transaction_code=scene.transaction_type.code if scene.transaction_type else None,
        channel=scene.channel.code if scene.channel else None,
        required_images=tuple(required),
        optional_images=tuple(optional),
        review_points=tuple(points),
    )


def rule_set_compile(*, version: RuleSetVersion) -> CompiledRuleSet:
    """Compile a version now, uncached (drafts change under the editor's hands), with its
    names in the active language."""
    return compile_rule_set(rule_set_spec(version=version))


def rule_set_compile_languages(*, version: RuleSetVersion) -> dict[str, CompiledRuleSet]:
    """Compile a version once per catalogue language (names differ, rules are the same)."""
    return {
        language: compile_rule_set(spec)
        for language, spec in rule_set_specs(version=version).items()
    }


# --- The compiled rule set in force ----------------------------------------------------------
# Per process (bankcore/cache.py): compiled rule sets by version id (published versions never
# change), and the publication schedule, re-read from the database at most every
# AUTHORIZATION_RULESET_CHECK_SECONDS (default 1 s). A publication in another process is thus
# seen by the next evaluation after at most that long, without restart and without a query per
# evaluation.


@dataclass(slots=True)
class _Schedule:
    # The latest publications, newest first: scheduled future ones and the one in force.
    publications: tuple[tuple[datetime, int], ...]
    # The answer of the last lookup: (since, until, compiled by language). It holds from the
    # moment it was worked out until the next scheduled publication, for as long as this
    # schedule is fresh.
    in_force: tuple[datetime, datetime, dict[str, CompiledRuleSet]] | None = None


def _schedule_read() -> _Schedule:
    return _Schedule(
        publications=tuple(
            RuleSetPublication.objects.order_by("-effective_at", "-id").values_list(
                "effective_at", "version_id"
            )[:20]
        )
    )


def _check_interval() -> float:
    return getattr(settings, "AUTHORIZATION_RULESET_CHECK_SECONDS", 1.0)


_schedule = ProcessValue(
    "rule-set publication schedule", load=_schedule_read, max_age=_check_interval
)
# version id → {catalogue language → compiled rule set}: both languages are compiled together
# from one read, so an evaluation in either language costs no query for names.
_compiled: ProcessMemo[dict[str, CompiledRuleSet]] = ProcessMemo(
    "compiled rule-set versions", max_entries=4
)


def rule_set_cache_clear() -> None:
    """Forget what this process knows of rule sets (publishing calls it)."""
    _schedule.clear()
    _compiled.clear()


def rule_set_in_force(*, now: datetime) -> CompiledRuleSet:
    """The compiled rule set in force at `now`. Raises NoPublishedRuleSet."""
    schedule = _schedule.peek()
    answer = schedule.in_force if schedule is not None else None
    if answer is not None and answer[0] <= now < answer[1]:  # the hot path: no query, no lock
        return answer[2][catalogue_language()]
    schedule = _schedule.get()
    version_id = None
    upcoming = _FAR_FUTURE
    for effective_at, candidate in schedule.publications:
        if effective_at <= now:
            version_id = candidate
            break
        upcoming = min(upcoming, effective_at)
    else:
        version_id = rule_set_version_in_force_id(now=now)  # `now` older than the cached window
        upcoming = now  # not cached: the schedule read does not cover this moment
    if version_id is None:
        raise NoPublishedRuleSet()
    compiled = _rule_set_compiled_languages(version_id=version_id)
    if now < upcoming:
        schedule.in_force = (now, upcoming, compiled)
    return compiled[catalogue_language()]


_FAR_FUTURE = datetime.max.replace(tzinfo=UTC)


def rule_set_compiled(*, version_id: int) -> CompiledRuleSet:
    """The compiled rule set of a published version (names in the active language), compiled
    once per process."""
    return _rule_set_compiled_languages(version_id=version_id)[catalogue_language()]


def _rule_set_compiled_languages(*, version_id: int) -> dict[str, CompiledRuleSet]:
    compiled = _compiled.get(version_id)
    if compiled is not None:
        return compiled
    cache_version = _compiled.version()
    version = RuleSetVersion.objects.get(pk=version_id)
    compiled = rule_set_compile_languages(version=version)
    if not version.is_draft:
        _compiled.set(version_id, compiled, version=cache_version)
    return compiled


def evaluated_transactions(*, since: datetime | None = None, limit: int = 5000):
    """Recorded transactions (business flow data), newest first."""
    qs = EvaluatedTransaction.objects.order_by("-evaluated_at", "-id")
    if since is not None:
        qs = qs.filter(evaluated_at__gte=since)
    return list(qs[:limit])


# --- Authorization requests: public reads for other apps (reports, pages) --------------------


@dataclass(frozen=True, slots=True)
class RequestEventFacts:
    """One step of a request's trail, with the request's facts reports group by."""

    id: int
    request_reference: str
    kind: str
    from_state: str
    to_state: str
    actor_username: str
    actor_unit_code: str
    occurred_at: datetime
    seconds_since_previous: Decimal
    branch_code: str
    transaction_code: str
    channel: str
    mode: str  # the request's mode when the event happened
    level: int | None  # the request's level when the event happened
    amount: Decimal | None
    currency: str
    reason_codes: tuple[str, ...]
    decision_reason_code: str  # the return or rejection reason, or ""
    time_limit_minutes: int | None = None  # the request's time limit (submit → decision)


def request_events_after(*, after_id: int, limit: int = 1000) -> list[RequestEventFacts]:
    """Trail events with id > after_id, in id order (one query): reports read the trail
    incrementally from the last id they have seen."""
    rows = (
        RequestEvent.objects.filter(id__gt=after_id)
        .order_by("id")
        .values_list(
            "id",
            "request__reference",
            "kind",
            "from_state",
            "to_state",
            "actor_username",
            "actor_unit_code",
            "occurred_at",
            "seconds_since_previous",
            "request__branch__code",
            "request__transaction_code",
            "request__channel",
            "mode",
            "level",
            "request__amount",
            "request__currency",
            "request__reason_codes",
            "reason_code",
            "request__time_limit_minutes",
        )[:limit]
    )
    return [
        RequestEventFacts(
            id=row[0],
            request_reference=row[1],
            kind=row[2],
            from_state=row[3],
            to_state=row[4],
            actor_username=row[5],
            actor_unit_code=row[6],
            occurred_at=row[7],
            seconds_since_previous=row[8],
            branch_code=row[9],
            transaction_code=row[10],
            channel=row[11],
            mode=row[12],
            level=row[13],
            amount=row[14],
            currency=row[15],
            reason_codes=tuple(row[16] or ()),
            decision_reason_code=row[17],
            time_limit_minutes=row[18],
        )
        for row in rows
    ]


@dataclass(frozen=True, slots=True)
class ReviewVerdictFacts:
    """One review-point verdict, for reports (review points an authorizer never fails)."""

    id: int
    request_reference: str
    review_point_code: str
    passed: bool
    recorded_by_username: str
    recorded_at: datetime


def review_verdicts_after(*, after_id: int, limit: int = 1000) -> list[ReviewVerdictFacts]:
    """Review verdicts with id > after_id, in id order (one query), read incrementally."""
    from .models import ReviewVerdict

    rows = (
        ReviewVerdict.objects.filter(id__gt=after_id)
        .order_by("id")
        .values_list(
            "id",
            "request__reference",
            "review_point_code",
            "passed",
            "recorded_by__username",
            "recorded_at",
        )[:limit]
    )
    return [ReviewVerdictFacts(*row) for row in rows]


@dataclass(frozen=True, slots=True)
class CodeNames:
    """What the codes reports group by are called, in the active language: transactions and
    channels (as the latest published rule-set version that declares them names them), the
    return and rejection reasons, the authorization modes and the requests' states. A code
    not named here reads as itself."""

    transactions: dict[str, str]
    channels: dict[str, str]
    decision_reasons: dict[str, str]
    modes: dict[str, str]
    states: dict[str, str]


def code_names() -> CodeNames:
    """The names of every transaction, channel, decision reason, mode and request state
    (five queries, whatever the number of versions)."""
    from .models import AuthorizationMode, ReasonCode, RequestState, TriggerSystem

    def by_latest_version(model) -> dict[str, str]:
        # Each version copies its catalogue, so read each code's row of the latest published
        # version that has it: its number per code (one aggregate), then those rows.
        published = model.objects.filter(version__status=RuleSetStatus.PUBLISHED)
        latest = dict(
            published.values("code")
            .annotate(number=Max("version__number"))
            .order_by()
            .values_list("code", "number")
        )
        rows = published.filter(
            code__in=latest, version__number__in=set(latest.values())
        ).values_list("code", "version__number", "name")
        return {code: name for code, number, name in rows if latest[code] == number}

    return CodeNames(
        transactions=by_latest_version(TransactionType),
        channels=by_latest_version(TriggerSystem),
        decision_reasons=dict(ReasonCode.objects.order_by("id").values_list("code", "name")),
        modes={mode.value: str(mode.label) for mode in AuthorizationMode},
        states={state.value: str(state.label) for state in RequestState},
    )
