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

from bankcore.idempotency import IDEMPOTENCY_KEY_PARAMETER, idempotent
from customers import selectors, services
from customers.api.filters import CustomerFilterSet
from customers.api.serializers import (
    CUSTOMER_NO_HELP,
    AddressInputSerializer,
    AddressSerializer,
    ContactChannelSerializer,
    ContactInputSerializer,
    CorporateCustomerCreateSerializer,
    CustomerChangeSerializer,
    CustomerDetailSerializer,
    CustomerListSerializer,
    CustomerUpdateSerializer,
    DocumentCreateSerializer,
    DocumentSerializer,
    DocumentTypeSerializer,
    ExtensionAttributeSerializer,
    ExtensionValueSerializer,
    ExtensionValuesWriteSerializer,
    PersonalCustomerCreateSerializer,
    RelationshipInputSerializer,
    RelationshipSerializer,
    StatusChangeDecisionSerializer,
    StatusChangeRequestSerializer,
    StatusChangeSerializer,
)
from customers.models import CustomerChange

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
        responses={
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
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        responses={
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


# --- Classified modules as sub-resources -----------------------------------------------------


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
