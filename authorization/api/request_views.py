"""API of authorization requests: submit, follow, claim, review, decide, supplement, trail.

Every view makes one service or selector call. Errors are the standard body
(bankcore/errors.py); decisions and submission honour `Idempotency-Key`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from bankcore.api.parsers import JSONParser
from bankcore.idempotency import IDEMPOTENCY_KEY_PARAMETER, idempotent

from ..request_selectors import (
    RequestFilterSet,
    reason_codes,
    request_counts_by_level,
    request_detail,
    request_list_for_user,
    request_trail,
)
from ..services import requests as services
from ..services.delegations import delegation_create, delegation_revoke, delegations_of
from ..services.trail import Actor
from .request_serializers import (
    CommentSerializer,
    DelegationCreateSerializer,
    DelegationSerializer,
    ImageAttachedSerializer,
    ImageAttachSerializer,
    LevelCountSerializer,
    OnSiteDecisionSerializer,
    ReasonCodeSerializer,
    ReasonedDecisionSerializer,
    RequestDetailSerializer,
    RequestSerializer,
    ResubmitSerializer,
    SubmitSerializer,
    TrailEventSerializer,
    TransferSerializer,
    VerdictsSerializer,
)

TAG = "authorization requests"
ERRORS = {
    400: OpenApiResponse(description=_("Invalid input: the standard error body names the field.")),
    403: OpenApiResponse(description=_("Not allowed (e.g. four-eyes: your own request).")),
    404: OpenApiResponse(description=_("No such request, or not visible to you.")),
    409: OpenApiResponse(
        description=_(
            "The request's state does not allow it (someone acted first), or the approval "
            "gate: `fields` lists the missing images and review points."
        )
    ),
}
TERMINAL_HEADER = "X-Terminal-Id"


def actor_of(request) -> Actor:
    """Who acts and from where, for the trail: the user, IP, user agent, terminal."""
    return Actor(
        user=request.user,
        ip_address=request.META.get("REMOTE_ADDR", ""),
        user_agent=request.headers.get("User-Agent", ""),
        terminal=request.headers.get(TERMINAL_HEADER, ""),
    )


class CanSubmit(BasePermission):
    def has_permission(self, request, view) -> bool:
        return request.user.has_perm("authorization.submit_request")


class CanReview(BasePermission):
    def has_permission(self, request, view) -> bool:
        return request.user.has_perm("authorization.review_request")


def _detail(reference: str, user, http_status=status.HTTP_200_OK) -> Response:
    request = request_detail(reference=reference, user=user)
    return Response(RequestDetailSerializer(request).data, status=http_status)


class RequestListCreateView(generics.ListAPIView):
    """List the requests you may see; submit an evaluated transaction."""

    serializer_class = RequestSerializer
    filterset_class = RequestFilterSet
    parser_classes = [JSONParser]

    def get_queryset(self):
        return request_list_for_user(user=self.request.user)

    def get_permissions(self):
        if self.request.method == "POST":
            return [IsAuthenticated(), CanSubmit()]
        return [IsAuthenticated()]

    @extend_schema(
        tags=[TAG],
        summary=_("List requests (your branch subtree; bank-wide roles: all)"),
        responses={200: RequestSerializer(many=True), **ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=[TAG],
        summary=_("Submit an evaluated transaction for authorization"),
        request=SubmitSerializer,
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        responses={201: RequestDetailSerializer, **ERRORS},
        description=_(
            "Creates the request from the evaluation's reference with a snapshot of the "
            "decision. It waits for evidence while required images are missing (attach them "
            "with POST …/images), else it is queued. A refused decision, or one that needs "
            "no authorization, cannot become a request (400)."
        ),
    )
    @idempotent
    def post(self, request):
        serializer = SubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        created = services.request_submit(
            evaluation_reference=serializer.validated_data["evaluation_reference"],
            teller_username=serializer.validated_data["teller"],
            customer_changes=serializer.validated_data["changes"] or None,
            actor=actor_of(request),
        )
        return _detail(created.reference, request.user, status.HTTP_201_CREATED)


class RequestDetailView(APIView):
    @extend_schema(
        tags=[TAG],
        summary=_("A request: state, decision, missing images, verdicts, images"),
        responses={200: RequestDetailSerializer, **ERRORS},
    )
    def get(self, request, reference: str):
        return _detail(reference, request.user)


class RequestCountsView(APIView):
    @extend_schema(
        tags=[TAG],
        summary=_("Open requests per level and state (those you may see)"),
        responses={200: LevelCountSerializer(many=True)},
    )
    def get(self, request):
        counts = request_counts_by_level(user=request.user)
        return Response(LevelCountSerializer(counts, many=True).data)


class ClaimNextView(APIView):
    permission_classes = [IsAuthenticated, CanReview]

    @extend_schema(
        tags=[TAG],
        summary=_("Claim the next request you may decide"),
        request=None,
        responses={
            200: RequestDetailSerializer,
            204: OpenApiResponse(description=_("Nothing is waiting for you.")),
            **ERRORS,
        },
        description=_(
            "Gives you the highest-priority, oldest request you are eligible for (level, "
            "amount limit, not your own, not one you approved first, delegation), claimed "
            "for you with a lease; when the lease runs out it returns to the queue."
        ),
    )
    def post(self, request):
        claimed = services.request_claim_next(actor=actor_of(request))
        if claimed is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return _detail(claimed.reference, request.user)


class _ActionView(APIView):
    """POST /requests/<reference>/<action>: one service call, answers the request."""

    input_serializer = CommentSerializer
    parser_classes = [JSONParser]

    def perform(self, request, reference: str, data: dict) -> None:
        raise NotImplementedError

    def post(self, request, reference: str):
        serializer = self.input_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform(request, reference, serializer.validated_data)
        return _detail(reference, request.user)


def _action_schema(summary, serializer, description=""):
    return extend_schema(
        tags=[TAG],
        summary=summary,
        request=serializer,
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        responses={200: RequestDetailSerializer, **ERRORS},
        description=description,
    )


class CancelView(_ActionView):
    permission_classes = [IsAuthenticated, CanSubmit]

    @_action_schema(_("Cancel (the submitter, before anyone claimed it)"), CommentSerializer)
    @idempotent
    def post(self, request, reference: str):
        return super().post(request, reference)

    def perform(self, request, reference, data):
        services.request_cancel(reference=reference, actor=actor_of(request), **data)


class ReleaseView(_ActionView):
    permission_classes = [IsAuthenticated, CanReview]

    @_action_schema(_("Give the claimed request back to the queue"), CommentSerializer)
    def post(self, request, reference: str):
        return super().post(request, reference)

    def perform(self, request, reference, data):
        services.request_release(reference=reference, actor=actor_of(request))


class VerdictsView(_ActionView):
    permission_classes = [IsAuthenticated, CanReview]
    input_serializer = VerdictsSerializer

    @_action_schema(
        _("Record verdicts on review points (pass, or fail with a comment)"), VerdictsSerializer
    )
    @idempotent
    def post(self, request, reference: str):
        return super().post(request, reference)

    def perform(self, request, reference, data):
        services.request_verdicts_record(
            reference=reference,
            verdicts=[
                services.VerdictInput(v["review_point"], v["passed"], v["comment"])
                for v in data["verdicts"]
            ],
            actor=actor_of(request),
        )


class ApproveView(_ActionView):
    permission_classes = [IsAuthenticated, CanReview]

    @_action_schema(
        _("Approve (dual: the first approval queues it for a second authorizer)"),
        CommentSerializer,
        _(
            "409 `evidence_incomplete` while required images are missing or mandatory review "
            "points have no verdict of yours (`fields.images`, `fields.review_points` name "
            "them); 409 `mandatory_point_failed` when one failed (reject or return instead); "
            "403 `not_eligible` for your own request (four-eyes) or above your level/limit."
        ),
    )
    @idempotent
    def post(self, request, reference: str):
        return super().post(request, reference)

    def perform(self, request, reference, data):
        services.request_approve(reference=reference, actor=actor_of(request), **data)


class RejectView(_ActionView):
    permission_classes = [IsAuthenticated, CanReview]
    input_serializer = ReasonedDecisionSerializer

    @_action_schema(_("Reject, with a reason code and a comment"), ReasonedDecisionSerializer)
    @idempotent
    def post(self, request, reference: str):
        return super().post(request, reference)

    def perform(self, request, reference, data):
        services.request_reject(reference=reference, actor=actor_of(request), **data)


class ReturnView(_ActionView):
    permission_classes = [IsAuthenticated, CanReview]
    input_serializer = ReasonedDecisionSerializer

    @_action_schema(
        _("Return for supplement, with a reason code and a comment"), ReasonedDecisionSerializer
    )
    @idempotent
    def post(self, request, reference: str):
        return super().post(request, reference)

    def perform(self, request, reference, data):
        services.request_return(reference=reference, actor=actor_of(request), **data)


class ResubmitView(_ActionView):
    permission_classes = [IsAuthenticated, CanSubmit]
    input_serializer = ResubmitSerializer

    @_action_schema(
        _("Resubmit a returned request (after attaching images; corrected elements here)"),
        ResubmitSerializer,
    )
    @idempotent
    def post(self, request, reference: str):
        return super().post(request, reference)

    def perform(self, request, reference, data):
        services.request_resubmit(
            reference=reference,
            actor=actor_of(request),
            comment=data["comment"],
            corrected_elements=data["elements"] or None,
        )


class TransferView(_ActionView):
    input_serializer = TransferSerializer

    @_action_schema(
        _("Transfer to another mode (its holder; the submitter while nobody holds it)"),
        TransferSerializer,
    )
    @idempotent
    def post(self, request, reference: str):
        return super().post(request, reference)

    def perform(self, request, reference, data):
        services.request_transfer(reference=reference, actor=actor_of(request), **data)


class OnSiteDecisionView(_ActionView):
    permission_classes = [IsAuthenticated, CanSubmit]
    input_serializer = OnSiteDecisionSerializer

    @_action_schema(
        _("On-site authorization: a supervisor decides at the teller's terminal"),
        OnSiteDecisionSerializer,
        _(
            "Called from the teller's session; the supervisor enters their own username and "
            "password (failures count towards their lockout: 429 when locked). The supervisor "
            "is the decider of record; the teller's own credentials are refused (403)."
        ),
    )
    def post(self, request, reference: str):
        return super().post(request, reference)

    def perform(self, request, reference, data):
        services.request_on_site_decide(
            reference=reference,
            actor=actor_of(request),
            auth_request=request._request,
            supervisor_username=data["supervisor_username"],
            supervisor_password=data["supervisor_password"],
            action=data["action"],
            verdicts=[
                services.VerdictInput(v["review_point"], v["passed"], v["comment"])
                for v in data["verdicts"]
            ],
            reason_code=data["reason_code"],
            comment=data["comment"],
        )


class ImageAttachView(APIView):
    permission_classes = [IsAuthenticated, CanSubmit]
    parser_classes = [MultiPartParser]

    @extend_schema(
        tags=[TAG],
        summary=_("Attach an image (multipart: image_type, file)"),
        request={"multipart/form-data": ImageAttachSerializer},
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        responses={201: ImageAttachedSerializer, **ERRORS},
        description=_(
            "The image type must be one the request's decision asks for. Cheap checks (size, "
            "content, pixel bounds) answer 400 at once; the image is then processed and the "
            "request leaves 'waiting for evidence' when its required images are ready."
        ),
    )
    @idempotent
    def post(self, request, reference: str):
        serializer = ImageAttachSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        facts = services.request_image_attach(
            reference=reference,
            image_type_code=serializer.validated_data["image_type"],
            upload=serializer.validated_data["file"],
            actor=actor_of(request),
        )
        return Response(ImageAttachedSerializer(facts).data, status=status.HTTP_201_CREATED)


class TrailView(APIView):
    @extend_schema(
        tags=[TAG],
        summary=_("The request's trail: every step, who, when, from where, hash-chained"),
        responses={200: TrailEventSerializer(many=True), **ERRORS},
    )
    def get(self, request, reference: str):
        events = request_trail(reference=reference, user=request.user)
        return Response(TrailEventSerializer(events, many=True).data)


class ReasonCodesView(APIView):
    @extend_schema(
        tags=[TAG],
        summary=_("The return and reject reason catalogue"),
        responses={200: ReasonCodeSerializer(many=True)},
    )
    def get(self, request):
        return Response(ReasonCodeSerializer(reason_codes(), many=True).data)


class DelegationListCreateView(APIView):
    permission_classes = [IsAuthenticated, CanReview]
    parser_classes = [JSONParser]

    @extend_schema(
        tags=[TAG],
        summary=_("Your delegations (given and received)"),
        responses={200: DelegationSerializer(many=True)},
    )
    def get(self, request):
        return Response(DelegationSerializer(delegations_of(user=request.user), many=True).data)

    @extend_schema(
        tags=[TAG],
        summary=_("Name a substitute for a period"),
        request=DelegationCreateSerializer,
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        responses={201: DelegationSerializer, **ERRORS},
        description=_(
            "Meanwhile you receive no requests and the substitute receives yours, within the "
            "substitute's own level and amount limits. Periods may not overlap (409)."
        ),
    )
    @idempotent
    def post(self, request):
        serializer = DelegationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        delegation = delegation_create(
            delegator=request.user,
            substitute_username=data["substitute"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            note=data["note"],
        )
        return Response(DelegationSerializer(delegation).data, status=status.HTTP_201_CREATED)


class DelegationRevokeView(APIView):
    permission_classes = [IsAuthenticated, CanReview]

    @extend_schema(
        tags=[TAG],
        summary=_("End your delegation now"),
        request=None,
        responses={200: DelegationSerializer, **ERRORS},
    )
    def post(self, request, delegation_id: int):
        delegation = delegation_revoke(delegation_id=delegation_id, user=request.user)
        return Response(DelegationSerializer(delegation).data)
