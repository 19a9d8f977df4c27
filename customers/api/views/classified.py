"""Customers API: the classified modules as sub-resources of a customer (ID documents,
contact channels, addresses, relationships) and the document types."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from customers import selectors, services
from customers.api.serializers import (
    AddressInputSerializer,
    AddressSerializer,
    ContactChannelSerializer,
    ContactInputSerializer,
    DocumentCreateSerializer,
    DocumentSerializer,
    DocumentTypeSerializer,
    RelationshipInputSerializer,
    RelationshipSerializer,
)
from customers.api.views.base import CUSTOMER_NO_PARAM, ERRORS, NOT_FOUND, TAG, CustomersAPIView


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


class _ClassifiedModuleView(CustomersAPIView):
    """GET lists the module's rows of the customer, POST adds one (201 with the row)."""

    read_serializer = None
    input_serializer = None

    def customer(self, customer_no: str):
        # The index row is enough here: one query, scoped to the user's branch subtree.
        return selectors.customer_for_user(user=self.request.user, customer_no=customer_no)

    def rows(self, customer):
        raise NotImplementedError

    def add(self, customer, serializer):
        raise NotImplementedError

    def get(self, request: Request, customer_no: str) -> Response:
        customer = self.customer(customer_no)
        return Response(self.read_serializer(self.rows(customer), many=True).data)

    def post(self, request: Request, customer_no: str) -> Response:
        customer = self.customer(customer_no)
        serializer = self.input_serializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        row = self.add(customer, serializer)
        return Response(self.read_serializer(row).data, status=status.HTTP_201_CREATED)


class _ClassifiedRowView(CustomersAPIView):
    """DELETE removes one row of the customer's module (204)."""

    def remove(self, customer, row_id: int) -> None:
        raise NotImplementedError

    def delete(self, request: Request, customer_no: str, row_id: int) -> Response:
        customer = selectors.customer_for_user(user=request.user, customer_no=customer_no)
        self.remove(customer, row_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _row_param(description: str) -> OpenApiParameter:
    return OpenApiParameter("row_id", int, OpenApiParameter.PATH, description=description)


class CustomerContactChannelsView(_ClassifiedModuleView):
    method_permissions = {
        "GET": "customers.view_contactchannel",
        "POST": "customers.add_contactchannel",
    }
    read_serializer = ContactChannelSerializer
    input_serializer = ContactInputSerializer

    def rows(self, customer):
        return selectors.contact_channels_of(customer=customer)

    def add(self, customer, serializer):
        return services.contact_channel_add(
            customer=customer, contact=serializer.to_input(), added_by=self.request.user
        )

    @extend_schema(
        tags=[TAG],
        summary=_("A customer's contact channels (phones, emails)"),
        parameters=[CUSTOMER_NO_PARAM],
        responses={200: ContactChannelSerializer(many=True), 404: NOT_FOUND, **ERRORS},
    )
    def get(self, request: Request, customer_no: str) -> Response:
        return super().get(request, customer_no)

    @extend_schema(
        tags=[TAG],
        summary=_("Add a phone number or email address (checked for its kind; change recorded)"),
        parameters=[CUSTOMER_NO_PARAM],
        request=ContactInputSerializer,
        responses={
            201: ContactChannelSerializer,
            404: NOT_FOUND,
            409: OpenApiResponse(description=_("The customer already has this contact.")),
            **ERRORS,
        },
    )
    def post(self, request: Request, customer_no: str) -> Response:
        return super().post(request, customer_no)


class CustomerContactChannelView(_ClassifiedRowView):
    method_permissions = {"DELETE": "customers.delete_contactchannel"}

    def remove(self, customer, row_id: int) -> None:
        services.contact_channel_remove(
            customer=customer, contact_channel_id=row_id, removed_by=self.request.user
        )

    @extend_schema(
        tags=[TAG],
        summary=_("Remove a contact channel (change recorded)"),
        parameters=[CUSTOMER_NO_PARAM, _row_param(_("The contact channel's id."))],
        responses={204: None, 404: NOT_FOUND, **ERRORS},
    )
    def delete(self, request: Request, customer_no: str, row_id: int) -> Response:
        return super().delete(request, customer_no, row_id)


class CustomerAddressesView(_ClassifiedModuleView):
    method_permissions = {"GET": "customers.view_address", "POST": "customers.add_address"}
    read_serializer = AddressSerializer
    input_serializer = AddressInputSerializer

    def rows(self, customer):
        return selectors.addresses_of(customer=customer)

    def add(self, customer, serializer):
        return services.address_add(
            customer=customer, address=serializer.to_input(), added_by=self.request.user
        )

    @extend_schema(
        tags=[TAG],
        summary=_("A customer's postal addresses"),
        parameters=[CUSTOMER_NO_PARAM],
        responses={200: AddressSerializer(many=True), 404: NOT_FOUND, **ERRORS},
    )
    def get(self, request: Request, customer_no: str) -> Response:
        return super().get(request, customer_no)

    @extend_schema(
        tags=[TAG],
        summary=_("Add a postal address (change recorded)"),
        parameters=[CUSTOMER_NO_PARAM],
        request=AddressInputSerializer,
        responses={201: AddressSerializer, 404: NOT_FOUND, **ERRORS},
    )
    def post(self, request: Request, customer_no: str) -> Response:
        return super().post(request, customer_no)


class CustomerAddressView(_ClassifiedRowView):
    method_permissions = {"DELETE": "customers.delete_address"}

    def remove(self, customer, row_id: int) -> None:
        services.address_remove(customer=customer, address_id=row_id, removed_by=self.request.user)

    @extend_schema(
        tags=[TAG],
        summary=_("Remove an address (change recorded)"),
        parameters=[CUSTOMER_NO_PARAM, _row_param(_("The address's id."))],
        responses={204: None, 404: NOT_FOUND, **ERRORS},
    )
    def delete(self, request: Request, customer_no: str, row_id: int) -> Response:
        return super().delete(request, customer_no, row_id)


class CustomerRelationshipsView(_ClassifiedModuleView):
    method_permissions = {
        "GET": "customers.view_customerrelationship",
        "POST": "customers.add_customerrelationship",
    }
    read_serializer = RelationshipSerializer
    input_serializer = RelationshipInputSerializer

    def rows(self, customer):
        return selectors.relationships_of(customer=customer)

    def add(self, customer, serializer):
        return services.relationship_add_by_customer_no(
            customer=customer, added_by=self.request.user, **serializer.validated_data
        )

    @extend_schema(
        tags=[TAG],
        summary=_("A customer's relationships (legal representative, guarantor, family, ...)"),
        parameters=[CUSTOMER_NO_PARAM],
        responses={200: RelationshipSerializer(many=True), 404: NOT_FOUND, **ERRORS},
    )
    def get(self, request: Request, customer_no: str) -> Response:
        return super().get(request, customer_no)

    @extend_schema(
        tags=[TAG],
        summary=_("Relate another customer to this one (change recorded)"),
        description=_(
            "The related customer must exist in your branch subtree and differ from this "
            "customer (400 on `related_customer_no`); the same relationship twice is 409."
        ),
        parameters=[CUSTOMER_NO_PARAM],
        request=RelationshipInputSerializer,
        responses={
            201: RelationshipSerializer,
            404: NOT_FOUND,
            409: OpenApiResponse(description=_("This relationship is already recorded.")),
            **ERRORS,
        },
    )
    def post(self, request: Request, customer_no: str) -> Response:
        return super().post(request, customer_no)


class CustomerRelationshipView(_ClassifiedRowView):
    method_permissions = {"DELETE": "customers.delete_customerrelationship"}

    def remove(self, customer, row_id: int) -> None:
        services.relationship_remove(
            customer=customer, relationship_id=row_id, removed_by=self.request.user
        )

    @extend_schema(
        tags=[TAG],
        summary=_("End a relationship (change recorded)"),
        parameters=[CUSTOMER_NO_PARAM, _row_param(_("The relationship's id."))],
        responses={204: None, 404: NOT_FOUND, **ERRORS},
    )
    def delete(self, request: Request, customer_no: str, row_id: int) -> Response:
        return super().delete(request, customer_no, row_id)
