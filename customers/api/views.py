"""Customers API for integrators (and staff sessions). Each view makes one selector or service
call; errors are DomainErrors turned into the standard error body by the kernel handler."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from customers import selectors, services
from customers.api.serializers import (
    CUSTOMER_NO_HELP,
    CorporateCustomerCreateSerializer,
    CustomerDetailSerializer,
    CustomerFilterSerializer,
    CustomerListSerializer,
    CustomerUpdateSerializer,
    DocumentCreateSerializer,
    DocumentSerializer,
    DocumentTypeSerializer,
    ExtensionAttributeSerializer,
    ExtensionValueSerializer,
    ExtensionValuesWriteSerializer,
    PersonalCustomerCreateSerializer,
)

TAG = "customers"
ERRORS = {
    400: OpenApiResponse(description=_("Invalid input; `error.fields` names the fields.")),
    403: OpenApiResponse(description=_("Your role may not do this.")),
}
CUSTOMER_NO_PARAM = OpenApiParameter(
    "customer_no", str, OpenApiParameter.PATH, description=str(CUSTOMER_NO_HELP)
)


class HasMethodPermission(BasePermission):
    """Django permission per HTTP method, from the view's `method_permissions`."""

    def has_permission(self, request, view) -> bool:
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


class CustomerListView(generics.ListAPIView):
    permission_classes = [IsAuthenticated, HasMethodPermission]
    method_permissions = {"GET": "customers.view_customer"}
    serializer_class = CustomerListSerializer
    filter_backends: list = []

    def get_queryset(self):
        filters = CustomerFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        params = dict(filters.validated_data)
        if "home_branch" in params:
            params["home_branch_code"] = params.pop("home_branch")
        return selectors.customer_list_for_user(user=self.request.user, **params)

    @extend_schema(
        tags=[TAG],
        summary=_("List and filter customers (your branch subtree, or all for bank-wide roles)"),
        parameters=[CustomerFilterSerializer],
        responses={200: CustomerListSerializer(many=True), **ERRORS},
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


class _CustomerCreateView(CustomersAPIView):
    method_permissions = {"POST": "customers.add_customer"}
    serializer_class = None
    create = None

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
        responses={
            201: CustomerDetailSerializer,
            409: OpenApiResponse(description=_("The document already belongs to a customer.")),
            **ERRORS,
        },
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
        responses={
            201: CustomerDetailSerializer,
            409: OpenApiResponse(description=_("The document already belongs to a customer.")),
            **ERRORS,
        },
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


class CustomerDocumentsView(CustomersAPIView):
    method_permissions = {
        "GET": "customers.view_customerdocument",
        "POST": "customers.add_customerdocument",
    }

    @extend_schema(
        tags=[TAG],
        summary=_("A customer's ID documents (opening document first)"),
        parameters=[CUSTOMER_NO_PARAM],
        responses={200: DocumentSerializer(many=True), 404: OpenApiResponse(), **ERRORS},
    )
    def get(self, request: Request, customer_no: str) -> Response:
        customer = self.customer(customer_no)
        return Response(DocumentSerializer(customer.documents.all(), many=True).data)

    @extend_schema(
        tags=[TAG],
        summary=_("Register another ID document for a customer"),
        parameters=[CUSTOMER_NO_PARAM],
        request=DocumentCreateSerializer,
        responses={
            201: DocumentSerializer,
            404: OpenApiResponse(),
            409: OpenApiResponse(description=_("The document already belongs to a customer.")),
            **ERRORS,
        },
    )
    def post(self, request: Request, customer_no: str) -> Response:
        customer = self.customer(customer_no)
        serializer = DocumentCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        document = services.document_add(
            customer=customer,
            document=DocumentCreateSerializer.to_input(serializer.validated_data),
            added_by=request.user,
            make_opening_document=serializer.validated_data["is_opening_document"],
        )
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)


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


class DocumentTypesView(CustomersAPIView):
    method_permissions = {"GET": "customers.view_customer"}

    @extend_schema(
        tags=[TAG],
        summary=_("ID document types (national standard parameter table)"),
        responses={200: DocumentTypeSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        rows = selectors.document_types()
        return Response(DocumentTypeSerializer(rows, many=True).data)
