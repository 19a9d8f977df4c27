"""Customers API: extension attributes (defined by administrators) and a customer's values."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from customers import selectors, services
from customers.api.serializers import (
    ExtensionAttributeSerializer,
    ExtensionValueSerializer,
    ExtensionValuesWriteSerializer,
)
from customers.api.views.base import CUSTOMER_NO_PARAM, ERRORS, TAG, CustomersAPIView


class CustomerExtensionsView(CustomersAPIView):
    method_permissions = {
        "GET": "customers.view_extensionvalue",
        "PUT": "customers.change_extensionvalue",
    }

    @extend_schema(
        tags=[TAG],
        summary=_("A customer's extension attribute values"),
        parameters=[CUSTOMER_NO_PARAM],
        responses={200: ExtensionValueSerializer(many=True), 404: OpenApiResponse(), **ERRORS},
    )
    def get(self, request: Request, customer_no: str) -> Response:
        customer = self.customer(customer_no)
        return Response(ExtensionValueSerializer(customer.extension_values.all(), many=True).data)

    @extend_schema(
        tags=[TAG],
        summary=_("Set extension attribute values (only the codes sent change)"),
        parameters=[CUSTOMER_NO_PARAM],
        request=ExtensionValuesWriteSerializer,
        responses={200: ExtensionValueSerializer(many=True), 404: OpenApiResponse(), **ERRORS},
    )
    def put(self, request: Request, customer_no: str) -> Response:
        customer = self.customer(customer_no)
        serializer = ExtensionValuesWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.customer_extensions_set(
            customer=customer, values=serializer.validated_data["values"], changed_by=request.user
        )
        customer = self.customer(customer_no)
        return Response(ExtensionValueSerializer(customer.extension_values.all(), many=True).data)


class ExtensionAttributesView(CustomersAPIView):
    method_permissions = {
        "GET": "customers.view_customer",
        "POST": "customers.add_extensionattribute",
    }

    @extend_schema(
        tags=[TAG],
        summary=_("Extension attributes defined by administrators"),
        responses={200: ExtensionAttributeSerializer(many=True), **ERRORS},
    )
    def get(self, request: Request) -> Response:
        rows = selectors.extension_attributes()
        return Response(ExtensionAttributeSerializer(rows, many=True).data)

    @extend_schema(
        tags=[TAG],
        summary=_("Define an extension attribute (parameter administrators; no migration)"),
        request=ExtensionAttributeSerializer,
        responses={201: ExtensionAttributeSerializer, 409: OpenApiResponse(), **ERRORS},
    )
    def post(self, request: Request) -> Response:
        serializer = ExtensionAttributeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        attribute = services.extension_attribute_create(**serializer.validated_data)
        return Response(
            ExtensionAttributeSerializer(attribute).data, status=status.HTTP_201_CREATED
        )
