from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from bankcore.api.parsers import JSONParser

from ..services import TransactionInput, evaluate
from .serializers import DecisionSerializer, EvaluateRequestSerializer, decision_body


class CanEvaluate(BasePermission):
    """Asked on every request, never cached: a role removed from a user stops this endpoint
    at once. (The user's permissions are read once per request and then serve the scoping
    question too.)"""

    def has_permission(self, request, view) -> bool:
        return request.user.has_perm("authorization.evaluate_transaction")


class EvaluateView(APIView):
    """Does this transaction need authorization, and how?"""

    permission_classes = [IsAuthenticated, CanEvaluate]
    # Channels send JSON; one parser means no per-request negotiation over form parsers.
    parser_classes = [JSONParser]

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
            "naming the field. Money elements take the amount as a string of digits, greater "
            "than zero, within the currency's minor units. The record names the authenticated "
            "user. A branch user evaluates as themselves at their own branch (`branch_code` and "
            "`teller` are filled in; naming others, or a branch that is closed, is 400); an "
            "integrator's channel names the branch (an unknown or closed branch is 400) and may "
            "name the teller, who must be an active user of that branch."
        ),
    )
    def post(self, request):
        evaluation = evaluate(
            transaction=transaction_input_from_request(request.data), acted_by=request.user
        )
        return Response(decision_body(evaluation.decision, reference=evaluation.reference))


# Channels call evaluate at high rates. The request's outer shape is checked here directly
# (EvaluateRequestSerializer stays the documented schema); the elements are checked by the
# service against the transaction's declared element types, so they are not parsed twice.
_TEXT_FIELDS = {"transaction_code": 40, "channel": 40, "branch_code": 20, "teller": 150}
_REQUIRED = ("transaction_code", "channel")
_KNOWN_FIELDS = frozenset((*_TEXT_FIELDS, "elements"))


def transaction_input_from_request(data) -> TransactionInput:
    if not isinstance(data, dict):
        raise ValidationError({"non_field_errors": [_("Expected a JSON object.")]})
    errors: dict[str, list[str]] = {
        name: [_("Unknown field.")] for name in sorted(data.keys() - _KNOWN_FIELDS)
    }
    values: dict[str, str] = {}
    for name, max_length in _TEXT_FIELDS.items():
        value = data.get(name, "")
        if value is None or not isinstance(value, str):
            errors[name] = [_("Must be a string.")]
        elif name in _REQUIRED and not value.strip():
            errors[name] = [_("This field is required.")]
        elif len(value) > max_length:
            errors[name] = [_("At most %(n)d characters.") % {"n": max_length}]
        else:
            values[name] = value.strip()
    elements = data.get("elements", {})
    if not isinstance(elements, dict):
        errors["elements"] = [_("Must be an object of element names to values.")]
    if errors:
        raise ValidationError(errors)
    return TransactionInput(elements=elements, **values)
