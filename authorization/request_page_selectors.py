"""Reads for the pages of tellers, branch supervisors and remote authorizers: each page's
whole content in a fixed number of queries, whatever the queue length or number of images.

The API has its own reads (request_selectors); these are shaped for one screen each."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, Prefetch, Q
from django.utils.translation import get_language

from bankcore.ports import CustomerNotFound
from bankcore.roles import Role, user_roles

from .models import (
    OPEN_REQUEST_STATES,
    AuthorizationMode,
    AuthorizationRequest,
    ReasonCode,
    RequestEvent,
    RequestState,
    ReviewVerdict,
    TransactionElement,
    TransactionType,
    TriggerSystem,
)
from .selectors import rule_set_version_in_force_id
from .services.eligibility import AuthorizerScope, authorizer_scope, claimable_q
from .services.requests import request_get

LIST_RELATED = ("branch", "submitted_by", "claimed_by", "first_approver", "decided_by")
QUEUE_LIMIT = 50  # rows a queue page lists; the counts cover every request
# The ID card pair shown side by side in the viewer (front, back).
ID_PAIRS = (("ID_CARD_FRONT", "ID_CARD_BACK"), ("LEGAL_REP_ID_FRONT", "LEGAL_REP_ID_BACK"))


# --- The teller ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TellerCatalogue:
    version_number: int | None
    transaction_types: list[TransactionType]  # each with its declared elements
    channels: list[TriggerSystem]


def teller_catalogue(*, now: datetime) -> TellerCatalogue:
    """The transactions and channels of the rule set in force (the teller's form is
    generated from the transactions' declared elements): four queries."""
    version_id = rule_set_version_in_force_id(now=now)
    if version_id is None:
        return TellerCatalogue(None, [], [])
    types = list(
        TransactionType.objects.filter(version_id=version_id)
        .select_related("version")
        .prefetch_related(Prefetch("elements", queryset=TransactionElement.objects.order_by("id")))
        .order_by("code")
    )
    channels = list(TriggerSystem.objects.filter(version_id=version_id).order_by("code"))
    return TellerCatalogue(types[0].version.number if types else None, types, channels)


MY_REQUEST_FILTERS = {
    "open": OPEN_REQUEST_STATES,
    "returned": (RequestState.RETURNED,),
    "decided": (
        RequestState.APPROVED,
        RequestState.REJECTED,
        RequestState.CANCELLED,
        RequestState.EXPIRED,
    ),
}


def transaction_names_set(requests: list[AuthorizationRequest]) -> None:
    """Set `transaction_name` on each request: what the rule-set version that decided it calls
    its transaction, in the active language (one query for the whole list; none when empty)."""
    if not requests:
        return
    names = {
        (version_id, code): name
        for version_id, code, name in TransactionType.objects.filter(
            version_id__in={r.version_id for r in requests},
            code__in={r.transaction_code for r in requests},
        ).values_list("version_id", "code", "name")
    }
    for r in requests:
        r.transaction_name = names.get((r.version_id, r.transaction_code), r.transaction_code)


def request_names_set(request: AuthorizationRequest) -> None:
    """For one request's page: the transaction's name (`transaction_name`), the channel's
    (`channel_name`) and each element beside its label (`element_rows`: name, label, value;
    the amount has its own line), as the deciding rule-set version names them (three queries)."""
    transaction_names_set([request])
    channel = (
        TriggerSystem.objects.filter(version_id=request.version_id, code=request.channel)
        .values_list("name", flat=True)
        .first()
    )
    request.channel_name = channel or request.channel
    labels = dict(
        TransactionElement.objects.filter(
            transaction_type__version_id=request.version_id,
            transaction_type__code=request.transaction_code,
        ).values_list("name", "label")
    )
    request.element_rows = [
        (name, labels.get(name, name), value)
        for name, value in request.elements.items()
        if name != "amount"
    ]


def my_requests(*, user, show: str = "all", limit: int = 100) -> list[AuthorizationRequest]:
    """Requests `user` submitted, newest first, each with its trail (`trail`) and the name of
    its transaction: three queries."""
    qs = AuthorizationRequest.objects.filter(submitted_by=user)
    if show in MY_REQUEST_FILTERS:
        qs = qs.filter(state__in=MY_REQUEST_FILTERS[show])
    rows = list(
        qs.select_related(*LIST_RELATED)
        .prefetch_related(
            Prefetch("events", queryset=RequestEvent.objects.order_by("seq"), to_attr="trail")
        )
        .order_by("-submitted_at", "-id")[:limit]
    )
    transaction_names_set(rows)
    return rows


@dataclass
class ImageSlot:
    """One image type the request asks for, with the images attached of it."""

    code: str
    name: str
    required: bool
    min_count: int
    images: list = field(default_factory=list)

    @property
    def ready(self) -> int:
        return sum(1 for image in self.images if image.state == "ready")

    @property
    def missing(self) -> bool:
        return self.required and self.ready < self.min_count


@dataclass
class RequestPage:
    request: AuthorizationRequest
    slots: list[ImageSlot]
    images: list  # imaging's ImageFacts, oldest first
    trail: list[RequestEvent]
    verdicts: list[ReviewVerdict]
    reason_labels: dict[str, str]  # return/reject reason code → label in the reader's language
    return_reasons: list[ReasonCode]
    reject_reasons: list[ReasonCode]

    @property
    def missing(self) -> list[ImageSlot]:
        return [slot for slot in self.slots if slot.missing]

    @property
    def processing(self) -> bool:
        """Some image is still being processed (its thumbnail and flags are to come)."""
        return any(image.state in ("received", "processing") for image in self.images)

    @property
    def decision_reason_label(self) -> str:
        code = self.request.decision_reason_code
        return self.reason_labels.get(code, code)


def _slots(request: AuthorizationRequest, images: list) -> list[ImageSlot]:
    slots: dict[str, ImageSlot] = {}
    shown = request.decision_shown  # the image types' names in the reader's language
    for key, required in (("required_image_types", True), ("optional_image_types", False)):
        for image_type in shown.get(key, []):
            slots.setdefault(
                image_type["code"],
                ImageSlot(
                    image_type["code"], image_type["name"], required, image_type["min_count"]
                ),
            )
    for image in images:
        if image.image_type_code in slots:
            slots[image.image_type_code].images.append(image)
    return list(slots.values())


def request_page(
    *, reference: str, user, with_verdicts: bool = False, with_names: bool = True
) -> RequestPage:
    """A request with its images (by type), trail, verdicts and the reason catalogue, as the
    teller's request page and the reviewer's task screen show it (a fixed number of queries).
    `with_names=False` leaves out the transaction's, channel's and elements' names
    (request_names_set), for a part of the page that does not show them (the evidence poll).
    RequestNotFound when `user` may not see it."""
    from imaging import facade as imaging_facade

    request = request_get(reference=reference, user=user)
    if with_names:
        request_names_set(request)
    images = imaging_facade.images_for_owner(owner_ref=request.owner_ref)
    trail = list(RequestEvent.objects.filter(request=request).select_related(None).order_by("seq"))
    verdicts = (
        list(
            ReviewVerdict.objects.filter(request=request, round=request.round)
            .select_related("recorded_by")
            .order_by("recorded_at", "id")
        )
        if with_verdicts
        else []
    )
    language = get_language()
    reasons = list(ReasonCode.objects.filter(is_active=True).order_by("kind", "position", "code"))
    return RequestPage(
        request=request,
        slots=_slots(request, images),
        images=images,
        trail=trail,
        verdicts=verdicts,
        reason_labels={reason.code: reason.label(language) for reason in reasons},
        return_reasons=[r for r in reasons if r.kind == "return"],
        reject_reasons=[r for r in reasons if r.kind == "reject"],
    )


# --- Reviewers (remote authorizers and branch supervisors) --------------------------------------


@dataclass(frozen=True, slots=True)
class QueueCount:
    level: int
    waiting: int
    overdue: int
    due_soon: int  # within 5 minutes


@dataclass
class ReviewQueue:
    scope: AuthorizerScope
    counts: list[QueueCount]
    total: int
    waiting: list[AuthorizationRequest]  # claimable by the user, in the order claim next takes
    held: list[AuthorizationRequest]  # in review by the user
    on_site: list[AuthorizationRequest]  # branch supervisors: waiting at a teller's terminal
    now: datetime

    @property
    def overdue(self) -> int:
        return sum(count.overdue for count in self.counts)


def review_queue(*, user, now: datetime, limit: int = QUEUE_LIMIT) -> ReviewQueue:
    """What waits for `user`: counts per level (overdue, due within 5 minutes), the first
    `limit` requests claim next would hand out, the requests they hold, and (supervisors) the
    on-site requests of their branch subtree waiting at a teller's terminal."""
    from datetime import timedelta

    scope = authorizer_scope(user=user, now=now)
    claimable = AuthorizationRequest.objects.filter(claimable_q(scope, now))
    soon = now + timedelta(minutes=5)
    rows = claimable.values("level").annotate(
        waiting=Count("id"),
        overdue=Count("id", filter=Q(due_at__lte=now)),
        due_soon=Count("id", filter=Q(due_at__gt=now, due_at__lte=soon)),
    )
    counts = [
        QueueCount(row["level"], row["waiting"], row["overdue"], row["due_soon"])
        for row in sorted(rows, key=lambda row: row["level"])
    ]
    waiting = list(
        claimable.select_related(*LIST_RELATED).order_by("-priority", "queued_at", "id")[:limit]
    )
    held = list(
        AuthorizationRequest.objects.filter(state=RequestState.IN_REVIEW, claimed_by=user)
        .select_related(*LIST_RELATED)
        .order_by("claimed_at", "id")
    )
    on_site: list[AuthorizationRequest] = []
    if scope.supervisor_unit_ids:
        units = scope.supervisor_unit_ids
        on_site = list(
            AuthorizationRequest.objects.filter(
                Q(branch_id__in=units) | Q(branch__parent_id__in=units),
                mode=AuthorizationMode.ON_SITE,
                state__in=(RequestState.WAITING_FOR_EVIDENCE, RequestState.QUEUED),
            )
            .select_related(*LIST_RELATED)
            .order_by("submitted_at", "id")[:limit]
        )
    transaction_names_set([*waiting, *held, *on_site])
    return ReviewQueue(
        scope=scope,
        counts=counts,
        total=sum(count.waiting for count in counts),
        waiting=waiting,
        held=held,
        on_site=on_site,
        now=now,
    )


def review_queue_count(*, user, now: datetime) -> int:
    """How many requests wait for `user` now (the badge in the navigation): those they could
    claim, and for a branch supervisor the on-site ones queued at their tellers' terminals."""
    roles = set(user_roles(user))
    if not roles & {Role.REMOTE_AUTHORIZER, Role.BRANCH_SUPERVISOR}:
        return 0
    scope = authorizer_scope(user=user, now=now)
    if not scope.can_review:
        return 0
    waiting = Q(claimable_q(scope, now))
    if scope.supervisor_unit_ids:  # and the on-site ones waiting at their tellers' terminals
        units = scope.supervisor_unit_ids
        waiting |= (Q(branch_id__in=units) | Q(branch__parent_id__in=units)) & Q(
            mode=AuthorizationMode.ON_SITE, state=RequestState.QUEUED
        )
    return AuthorizationRequest.objects.filter(waiting).count()


@dataclass
class TaskScreen:
    page: RequestPage
    points: list[dict[str, Any]]  # the review points, each with "mine" and "first" verdicts
    customer: Any  # customers' CustomerSummary, or None
    customer_profile: Any  # customers' CustomerProfile, or None
    id_pairs: list[tuple[Any, Any]]  # (front, back) ImageFacts shown side by side
    now: datetime

    @property
    def request(self) -> AuthorizationRequest:
        return self.page.request


def review_task(*, reference: str, user, now: datetime) -> TaskScreen:
    """The task screen: the request with its images, the review points with the user's
    verdicts and (dual, second approval) the first authorizer's, the customer's summary."""
    from customers import facade as customer_facade

    page = request_page(reference=reference, user=user, with_verdicts=True)
    request = page.request
    mine = {v.review_point_code: v for v in page.verdicts if v.recorded_by_id == user.pk}
    first = {
        v.review_point_code: v
        for v in page.verdicts
        if request.first_approver_id and v.recorded_by_id == request.first_approver_id
    }
    points = [
        {**point, "mine": mine.get(point["code"]), "first": first.get(point["code"])}
        for point in request.decision_shown.get("review_points", [])
    ]
    customer = profile = None
    customer_no = str(request.elements.get("customer_no") or "")
    if customer_no:
        try:
            customer = customer_facade.customer_summary(customer_no=customer_no, user=user)
            profile = customer_facade.customer_profile(
                customer_no=customer_no, on_date=now.date(), user=user
            )
        except CustomerNotFound:  # unknown, or outside the user's branches: shown as such
            customer = profile = None
    by_type: dict[str, list] = {}
    for image in page.images:
        if image.state == "ready":
            by_type.setdefault(image.image_type_code, []).append(image)
    id_pairs = [
        (by_type[front][-1], by_type[back][-1])
        for front, back in ID_PAIRS
        if by_type.get(front) and by_type.get(back)
    ]
    return TaskScreen(
        page=page,
        points=points,
        customer=customer,
        customer_profile=profile,
        id_pairs=id_pairs,
        now=now,
    )


@dataclass(frozen=True, slots=True)
class RequestStatus:
    request: AuthorizationRequest
    decision_reason_label: str
    trail: list[RequestEvent]


def request_status(*, reference: str, user) -> RequestStatus:
    """What the live status of a request shows (polled), with its trail: three queries."""
    request = request_get(reference=reference, user=user)
    label = request.decision_reason_code
    if label:
        reason = ReasonCode.objects.filter(code=label).first()
        label = reason.label(get_language()) if reason else label
    trail = list(RequestEvent.objects.filter(request=request).order_by("seq"))
    return RequestStatus(request, label, trail)


def my_requests_needing_action_count(*, user) -> int:
    """The teller's requests waiting on them: images still to attach, or returned (badge)."""
    return AuthorizationRequest.objects.filter(
        submitted_by=user,
        state__in=(RequestState.WAITING_FOR_EVIDENCE, RequestState.RETURNED),
    ).count()


ACCOUNT_SUGGESTIONS = 8


def account_suggestions(*, user, text: str) -> list:
    """Accounts within `user`'s branches whose number, customer number or customer name starts
    with `text` (at least 3 characters), for the teller's form as they type: products'
    AccountSuggestion, one more than shown (to say more match)."""
    from products import facade as product_facade

    text = text.strip()
    if len(text) < 3:
        return []
    return product_facade.account_suggestions(user=user, text=text, limit=ACCOUNT_SUGGESTIONS + 1)
