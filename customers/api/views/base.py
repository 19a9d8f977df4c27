"""Shared pieces of the customers API views: per-method permissions, the customer lookup
scoped to the user's branch subtree, and the schema's common parameters and answers."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import status
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from customers import selectors
from customers.api.serializers import CUSTOMER_NO_HELP, CustomerDetailSerializer

TAG = "customers"


ERRORS = {
    400: OpenApiResponse(description=_("Invalid input; `error.fields` names the fields.")),
    403: OpenApiResponse(description=_("Your role may not do this.")),
}


CUSTOMER_NO_PARAM = OpenApiParameter(
    "customer_no",
    str,
    OpenApiParameter.PATH,
    description=str(CUSTOMER_NO_HELP),
    pattern=r"^[129][0-9]{11}$",
)


NOT_FOUND = OpenApiResponse(
    description=_("No such customer in your branch subtree (or no such entry of it).")
)


class HasMethodPermission(BasePermission):
    """Django permission per HTTP method, from the view's `method_permissions`."""

    def has_permission(self, request, view) -> bool:
        if request.method.lower() not in view.http_method_names or not hasattr(
            view, request.method.lower()
        ):
            return True  # the view answers 405 Method Not Allowed
        needed = view.method_permissions.get(request.method)
        if needed is None and request.method in ("HEAD", "OPTIONS"):
            needed = view.method_permissions.get("GET")
        return bool(needed and request.user.has_perm(needed))


class CustomersAPIView(APIView):
    permission_classes = [IsAuthenticated, HasMethodPermission]
    method_permissions: dict[str, str] = {}

    def customer(self, customer_no: str):
        return selectors.customer_360_for_user(user=self.request.user, customer_no=customer_no)

    def detail_response(self, customer_no: str, http_status=status.HTTP_200_OK) -> Response:
        customer = self.customer(customer_no)
        return Response(CustomerDetailSerializer(customer).data, status=http_status)
