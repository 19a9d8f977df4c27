import time

from drf_spectacular.utils import extend_schema
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from ..services import TransactionInput, evaluate
from .serializers import DecisionSerializer, EvaluateRequestSerializer, decision_body

# The permission check reads two tables per request (user and group permissions), several
# times the cost of the evaluation itself. Channels call this endpoint at high rates, so the
# answer is kept per process for a minute: a role removed from a user stops this endpoint
# within PERMISSION_TTL_SECONDS (evaluation only answers a question; it changes nothing).
PERMISSION_TTL_SECONDS = 60.0
_permission_cache: dict[int, tuple[float, bool]] = {}


class CanEvaluate(BasePermission):
    def has_permission(self, request, view) -> bool:
        user = request.user
        clock = time.monotonic()
        cached = _permission_cache.get(user.pk)
        if cached is not None and cached[0] > clock:
            return cached[1]
        allowed = user.has_perm("authorization.evaluate_transaction")
        if len(_permission_cache) > 10_000:
            _permission_cache.clear()
        _permission_cache[user.pk] = (clock + PERMISSION_TTL_SECONDS, allowed)
        return allowed


class EvaluateView(APIView):
    """Does this transaction need authorization, and how?"""

    permission_classes = [IsAuthenticated, CanEvaluate]

    @extend_schema(
        operation_id="authorization_evaluate",
        request=EvaluateRequestSerializer,
        responses={200: DecisionSerializer},
        description=(
            "Evaluates a transaction against the rule set in force and records it. The answer "
            "names the reasons (with the rule and the compared values), the combined mode "
            "(strictest wins: on_site > cross_terminal > remote_centralized > mobile), level "
            "(highest), authorizers (dual wins), time limit (shortest), the scene, image types "
            "and review points (unions), `refused` when a reason is not allowed at all, and "
            "the rule-set version that decided. Invalid input (unknown transaction code or "
            "channel, element of the wrong type, unknown customer/account/product) → 400 "
            "naming the field."
        ),
    )
    def post(self, request):
        serializer = EvaluateRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        evaluation = evaluate(
            transaction=TransactionInput(
                transaction_code=data["transaction_code"],
                channel=data["channel"],
                elements=data["elements"],
                branch_code=data["branch_code"],
                teller=data["teller"],
            )
        )
        return Response(decision_body(evaluation.decision, reference=evaluation.reference))
