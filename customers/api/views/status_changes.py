"""Customers API: status changes under four eyes (request, approve, reject)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from customers import selectors, services
from customers.api.serializers import (
    StatusChangeDecisionSerializer,
    StatusChangeRequestSerializer,
    StatusChangeSerializer,
)
from customers.api.views.base import CUSTOMER_NO_PARAM, ERRORS, NOT_FOUND, TAG, CustomersAPIView


class CustomerStatusChangesView(CustomersAPIView):
    method_permissions = {
        "GET": "customers.view_customerstatuschange",
        "POST": "customers.add_customerstatuschange",
    }

    @extend_schema(
        tags=[TAG],
        summary=_("A customer's status changes (the waiting one first)"),
        parameters=[CUSTOMER_NO_PARAM],
        responses={200: StatusChangeSerializer(many=True), 404: NOT_FOUND, **ERRORS},
    )
    def get(self, request: Request, customer_no: str) -> Response:
        customer = selectors.customer_for_user(user=request.user, customer_no=customer_no)
        return Response(
            StatusChangeSerializer(selectors.status_changes_of(customer=customer), many=True).data
        )

    @extend_schema(
        tags=[TAG],
        summary=_("Request a status change (close, reopen, dormant): a supervisor decides"),
        description=_(
            "Nothing changes until a branch supervisor of the customer's branch, other than "
            "the requester, approves. One change may wait per customer (409 otherwise)."
        ),
        parameters=[CUSTOMER_NO_PARAM],
        request=StatusChangeRequestSerializer,
        responses={
            201: StatusChangeSerializer,
            404: NOT_FOUND,
            409: OpenApiResponse(description=_("A status change is already waiting.")),
            **ERRORS,
        },
    )
    def post(self, request: Request, customer_no: str) -> Response:
        customer = selectors.customer_for_user(user=request.user, customer_no=customer_no)
        serializer = StatusChangeRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        change = services.status_change_request(
            customer=customer, requested_by=request.user, **serializer.validated_data
        )
        return Response(StatusChangeSerializer(change).data, status=status.HTTP_201_CREATED)


class _StatusChangeDecisionView(CustomersAPIView):
    method_permissions = {"POST": "customers.approve_customerstatuschange"}
    decide = None

    def post(self, request: Request, customer_no: str, change_id: int) -> Response:
        customer = selectors.customer_for_user(user=request.user, customer_no=customer_no)
        serializer = StatusChangeDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        change = type(self).decide(
            customer=customer,
            status_change_id=change_id,
            user=request.user,
            comment=serializer.validated_data["comment"],
        )
        return Response(StatusChangeSerializer(change).data)


_DECISION_RESPONSES = {
    200: StatusChangeSerializer,
    403: OpenApiResponse(
        description=_(
            "Not a branch supervisor of the customer's branch, or the requester themselves."
        )
    ),
    404: NOT_FOUND,
    409: OpenApiResponse(description=_("Already decided, or the status moved meanwhile.")),
    400: ERRORS[400],
}


_CHANGE_ID_PARAM = OpenApiParameter(
    "change_id", int, OpenApiParameter.PATH, description=_("The status change's id.")
)


class CustomerStatusChangeApproveView(_StatusChangeDecisionView):
    @staticmethod
    def decide(*, user, **kwargs):
        return services.status_change_approve(approved_by=user, **kwargs)

    @extend_schema(
        tags=[TAG],
        summary=_("Approve a waiting status change (a second person: a branch supervisor)"),
        parameters=[CUSTOMER_NO_PARAM, _CHANGE_ID_PARAM],
        request=StatusChangeDecisionSerializer,
        responses=_DECISION_RESPONSES,
    )
    def post(self, request: Request, customer_no: str, change_id: int) -> Response:
        return super().post(request, customer_no, change_id)


class CustomerStatusChangeRejectView(_StatusChangeDecisionView):
    @staticmethod
    def decide(*, user, **kwargs):
        return services.status_change_reject(rejected_by=user, **kwargs)

    @extend_schema(
        tags=[TAG],
        summary=_("Reject a waiting status change, saying why"),
        parameters=[CUSTOMER_NO_PARAM, _CHANGE_ID_PARAM],
        request=StatusChangeDecisionSerializer,
        responses=_DECISION_RESPONSES,
    )
    def post(self, request: Request, customer_no: str, change_id: int) -> Response:
        return super().post(request, customer_no, change_id)
