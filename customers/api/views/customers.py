"""Customers API: list, create (personal, corporate), detail and change, change history."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from bankcore.idempotency import IDEMPOTENCY_KEY_PARAMETER, idempotent
from customers import selectors, services
from customers.api.filters import CustomerFilterSet
from customers.api.serializers import (
    CorporateCustomerCreateSerializer,
    CustomerChangeSerializer,
    CustomerDetailSerializer,
    CustomerListSerializer,
    CustomerUpdateSerializer,
    PersonalCustomerCreateSerializer,
)
from customers.api.views.base import (
    CUSTOMER_NO_PARAM,
    ERRORS,
    NOT_FOUND,
    TAG,
    CustomersAPIView,
    HasMethodPermission,
)
from customers.models import CustomerChange


class CustomerListView(generics.ListAPIView):
    permission_classes = [IsAuthenticated, HasMethodPermission]
    method_permissions = {"GET": "customers.view_customer"}
    serializer_class = CustomerListSerializer
    filterset_class = CustomerFilterSet

    def get_queryset(self):
        return selectors.customer_list_for_user(user=self.request.user)

    @extend_schema(
        tags=[TAG],
        summary=_("List and filter customers (your branch subtree, or all for bank-wide roles)"),
        responses={200: CustomerListSerializer(many=True), **ERRORS},
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


_CREATE_RESPONSES = {
    201: CustomerDetailSerializer,
    409: OpenApiResponse(
        description=_(
            "The document already belongs to a customer, or a request with the same "
            "Idempotency-Key is still running."
        )
    ),
    422: OpenApiResponse(
        description=_("The Idempotency-Key was already used for a different request.")
    ),
    **ERRORS,
}


class _CustomerCreateView(CustomersAPIView):
    method_permissions = {"POST": "customers.add_customer"}
    serializer_class = None
    create = None

    @idempotent
    def post(self, request: Request) -> Response:
        serializer = self.serializer_class(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        customer = type(self).create(created_by=request.user, **serializer.service_kwargs())
        return self.detail_response(customer.customer_no, status.HTTP_201_CREATED)


class PersonalCustomerCreateView(_CustomerCreateView):
    serializer_class = PersonalCustomerCreateSerializer
    create = staticmethod(services.personal_customer_create)

    @extend_schema(
        tags=[TAG],
        summary=_("Create a personal customer with its account-opening document"),
        request=PersonalCustomerCreateSerializer,
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        responses=_CREATE_RESPONSES,
    )
    def post(self, request: Request) -> Response:
        return super().post(request)


class CorporateCustomerCreateView(_CustomerCreateView):
    serializer_class = CorporateCustomerCreateSerializer
    create = staticmethod(services.corporate_customer_create)

    @extend_schema(
        tags=[TAG],
        summary=_("Create a corporate customer with its account-opening document (e.g. USCC)"),
        request=CorporateCustomerCreateSerializer,
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        responses=_CREATE_RESPONSES,
    )
    def post(self, request: Request) -> Response:
        return super().post(request)


class CustomerDetailView(CustomersAPIView):
    method_permissions = {"GET": "customers.view_customer", "PATCH": "customers.change_customer"}

    @extend_schema(
        tags=[TAG],
        summary=_("A customer with all four layers"),
        parameters=[CUSTOMER_NO_PARAM],
        responses={200: CustomerDetailSerializer, 404: OpenApiResponse(), **ERRORS},
    )
    def get(self, request: Request, customer_no: str) -> Response:
        return self.detail_response(customer_no)

    @extend_schema(
        tags=[TAG],
        summary=_("Change index or basic-info fields of a customer"),
        parameters=[CUSTOMER_NO_PARAM],
        request=CustomerUpdateSerializer,
        responses={200: CustomerDetailSerializer, 404: OpenApiResponse(), **ERRORS},
    )
    def patch(self, request: Request, customer_no: str) -> Response:
        customer = self.customer(customer_no)
        serializer = CustomerUpdateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        services.customer_update(
            customer=customer, changes=serializer.validated_data, changed_by=request.user
        )
        return self.detail_response(customer_no)


class CustomerHistoryView(generics.ListAPIView):
    """Read-only change history of one customer, newest first, paginated."""

    permission_classes = [IsAuthenticated, HasMethodPermission]
    method_permissions = {"GET": "customers.view_customerchange"}
    serializer_class = CustomerChangeSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no customer
            return CustomerChange.objects.none()
        customer = selectors.customer_for_user(
            user=self.request.user, customer_no=self.kwargs["customer_no"]
        )
        return selectors.customer_changes_of(customer=customer)

    @extend_schema(
        tags=[TAG],
        summary=_("A customer's change history: who changed what, and when (read-only)"),
        parameters=[CUSTOMER_NO_PARAM],
        responses={200: CustomerChangeSerializer(many=True), 404: NOT_FOUND, **ERRORS},
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)
