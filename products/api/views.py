"""API of the product factory and account opening. Thin: parse, call one service or
selector, render. Errors are DomainErrors rendered by the kernel's exception handler."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from bankcore.errors import DomainError
from bankcore.models import OrgUnit
from bankcore.scoping import user_can_see_unit
from products import proposals, selectors, services
from products.api import serializers as s
from products.api.filters import AccountFilterSet, ParameterDefinitionFilterSet, ProductFilterSet
from products.models import ProductProposal

ERRORS = {
    400: OpenApiResponse(description="A business rule or a field is invalid (error body)."),
    403: OpenApiResponse(description="Your role may not do this."),
    404: OpenApiResponse(description="Not found."),
}


def permission(*perms: str) -> type[BasePermission]:
    """A DRF permission class requiring every Django permission in `perms`."""

    class HasPermissions(BasePermission):
        def has_permission(self, request, view) -> bool:
            return bool(
                request.user and request.user.is_authenticated and request.user.has_perms(perms)
            )

    return HasPermissions


def _split(method_perms: dict[str, tuple[str, ...]]):
    class ByMethod(BasePermission):
        def has_permission(self, request, view) -> bool:
            perms = method_perms.get(request.method, method_perms.get("*", ()))
            return bool(
                request.user and request.user.is_authenticated and request.user.has_perms(perms)
            )

    return ByMethod


VIEW_PRODUCT = ("products.view_product",)
CHANGE_PRODUCT = ("products.change_product",)


# ---------------------------------------------------------------- catalogue


class ProductLineListView(generics.ListAPIView):
    serializer_class = s.ProductLineSerializer
    permission_classes = [permission(*VIEW_PRODUCT)]
    pagination_class = None

    def get_queryset(self):
        return selectors.product_line_list()

    @extend_schema(tags=["products"], summary="Product lines")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ParameterDefinitionListView(generics.ListAPIView):
    serializer_class = s.ParameterDefinitionSerializer
    permission_classes = [
        _split({"GET": VIEW_PRODUCT, "POST": ("products.add_parameterdefinition",)})
    ]
    filterset_class = ParameterDefinitionFilterSet

    def get_queryset(self):
        return selectors.parameter_definition_list()

    @extend_schema(tags=["products"], summary="Parameter catalogue")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=["products"],
        summary="Add a parameter to a zone (no migration needed)",
        request=s.ParameterDefinitionCreateSerializer,
        responses={201: s.ParameterDefinitionSerializer, **ERRORS},
    )
    def post(self, request, *args, **kwargs):
        serializer = s.ParameterDefinitionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        definition = services.parameter_definition_create(**serializer.validated_data)
        return Response(
            s.ParameterDefinitionSerializer(definition).data, status=status.HTTP_201_CREATED
        )


class ParameterDefinitionDetailView(APIView):
    permission_classes = [
        _split({"GET": VIEW_PRODUCT, "PATCH": ("products.change_parameterdefinition",)})
    ]

    @extend_schema(
        tags=["products"],
        summary="One parameter of the catalogue, with how many products and templates use it",
        responses={200: s.ParameterDefinitionDetailSerializer, 404: ERRORS[404]},
    )
    def get(self, request, code: str):
        definition = selectors.parameter_definition_get(code=code)
        return Response(s.ParameterDefinitionDetailSerializer(definition).data)

    @extend_schema(
        tags=["products"],
        summary="Edit a parameter of the catalogue",
        description=(
            "Label, help text, order and the active flag change at any time. Bounds and "
            "choices change only while no product or template uses the parameter (409 "
            "`parameter_definition_in_use` otherwise). Code, zone, data type and principle "
            "level never change: add a new parameter instead."
        ),
        request=s.ParameterDefinitionUpdateSerializer,
        responses={
            200: s.ParameterDefinitionDetailSerializer,
            409: OpenApiResponse(description="The parameter is in use."),
            **ERRORS,
        },
    )
    def patch(self, request, code: str):
        definition = selectors.parameter_definition_get(code=code)
        serializer = s.ParameterDefinitionUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.parameter_definition_update(definition=definition, **serializer.validated_data)
        return Response(
            s.ParameterDefinitionDetailSerializer(
                selectors.parameter_definition_get(code=code)
            ).data
        )


class TemplateListView(generics.ListAPIView):
    serializer_class = s.TemplateSerializer
    permission_classes = [
        _split(
            {"GET": ("products.view_producttemplate",), "POST": ("products.add_producttemplate",)}
        )
    ]

    def get_queryset(self):
        return selectors.product_template_list()

    @extend_schema(tags=["products"], summary="Product templates (one or more per line)")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=["products"],
        summary="Create a template",
        request=s.TemplateCreateSerializer,
        responses={201: s.TemplateSerializer, **ERRORS},
    )
    def post(self, request, *args, **kwargs):
        serializer = s.TemplateCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        template = services.product_template_create(
            code=data["code"],
            name=data["name"],
            line_code=data["line"],
            customer_group=data["customer_group"],
            business_nature=data["business_nature"],
            description=data["description"],
            parameters=data["parameters"],
            locked=data["locked"],
        )
        template = selectors.product_template_list().get(pk=template.pk)
        return Response(s.TemplateSerializer(template).data, status=status.HTTP_201_CREATED)


# ---------------------------------------------------------------- products


def _detail(product_code: str):
    return selectors.product_detail(product_code=product_code)


class ProductListView(generics.ListAPIView):
    serializer_class = s.ProductSummarySerializer
    permission_classes = [_split({"GET": VIEW_PRODUCT, "POST": ("products.add_product",)})]
    filterset_class = ProductFilterSet

    def get_queryset(self):
        return selectors.product_list()

    @extend_schema(tags=["products"], summary="Products")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=["products"],
        summary="New product from a template (a draft, version 1)",
        request=s.ProductCreateSerializer,
        responses={201: s.ProductDetailSerializer, **ERRORS},
    )
    def post(self, request, *args, **kwargs):
        serializer = s.ProductCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        product = services.product_create_from_template(
            template_code=data["template"],
            name=data["name"],
            description=data["description"],
            customer_group=data.get("customer_group"),
            business_nature=data.get("business_nature"),
            model=data["model"],
            parameters=data["parameters"],
            components=data["components"],
            created_by=request.user,
            now=timezone.now(),
        )
        return Response(
            s.ProductDetailSerializer(_detail(product.product_code)).data,
            status=status.HTTP_201_CREATED,
        )


class ProductDetailView(APIView):
    permission_classes = [_split({"GET": VIEW_PRODUCT, "PATCH": CHANGE_PRODUCT})]

    @extend_schema(
        tags=["products"],
        summary="A product with its versions and latest parameters",
        responses={200: s.ProductDetailSerializer, 404: ERRORS[404]},
    )
    def get(self, request, product_code: str):
        return Response(s.ProductDetailSerializer(_detail(product_code)).data)

    @extend_schema(
        tags=["products"],
        summary="Modify a product",
        description=(
            "A draft changes in place (200). For an active or suspended product the change is "
            "checked and becomes a proposal (202) that a different parameter administrator "
            "approves (POST /products/proposals/{id}/approve/); approval writes a new version "
            "(copy-on-write) that new accounts open on; existing accounts keep the version "
            "they were opened on. System principle values cannot change once the product has "
            "accounts (409); one pending proposal per product (409)."
        ),
        request=s.ProductModifySerializer,
        responses={
            200: s.ProductDetailSerializer,
            202: s.ProductProposalSerializer,
            409: OpenApiResponse(description="State conflict."),
            **ERRORS,
        },
    )
    def patch(self, request, product_code: str):
        product = _detail(product_code)
        serializer = s.ProductModifySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = proposals.product_change_submit(
            product=product,
            submitted_by=request.user,
            now=timezone.now(),
            **serializer.validated_data,
        )
        if isinstance(result, ProductProposal):
            return Response(
                s.ProductProposalSerializer(result).data, status=status.HTTP_202_ACCEPTED
            )
        return Response(s.ProductDetailSerializer(_detail(product_code)).data)


class ProductCopyView(APIView):
    permission_classes = [permission("products.add_product")]

    @extend_schema(
        tags=["products"],
        summary="Copy a product into an independent draft",
        request=s.ProductCopySerializer,
        responses={201: s.ProductDetailSerializer, **ERRORS},
    )
    def post(self, request, product_code: str):
        source = _detail(product_code)
        serializer = s.ProductCopySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        copy = services.product_copy(
            product=source,
            name=serializer.validated_data["name"],
            created_by=request.user,
            now=timezone.now(),
        )
        return Response(
            s.ProductDetailSerializer(_detail(copy.product_code)).data,
            status=status.HTTP_201_CREATED,
        )


class ProductTransitionView(APIView):
    """suspend, resume, retire (each records who did it)."""

    permission_classes = [permission("products.publish_product")]
    action = ""

    @extend_schema(
        tags=["products"],
        request=None,
        responses={
            200: s.ProductDetailSerializer,
            409: OpenApiResponse(description="State conflict."),
            **ERRORS,
        },
    )
    def post(self, request, product_code: str):
        product = _detail(product_code)
        services.product_lifecycle_act(
            product=product, action=self.action, acted_by=request.user, now=timezone.now()
        )
        return Response(s.ProductDetailSerializer(_detail(product_code)).data)


class ProductPublishView(APIView):
    permission_classes = [permission("products.publish_product")]

    @extend_schema(
        tags=["products"],
        summary="Propose publishing a draft product",
        description=(
            "Checks what publishing needs (every value set, the binding rules) and records a "
            "proposal (202); the product is published when a different parameter "
            "administrator approves it (POST /products/proposals/{id}/approve/)."
        ),
        request=None,
        responses={
            202: s.ProductProposalSerializer,
            409: OpenApiResponse(description="Not a draft, or a proposal is already pending."),
            **ERRORS,
        },
    )
    def post(self, request, product_code: str):
        proposal = proposals.product_publication_propose(
            product=_detail(product_code), proposed_by=request.user, now=timezone.now()
        )
        return Response(s.ProductProposalSerializer(proposal).data, status=status.HTTP_202_ACCEPTED)


class ProductProposalListView(APIView):
    permission_classes = [permission("products.publish_product")]

    @extend_schema(
        tags=["products"],
        summary="Product change proposals (pending first)",
        responses={200: s.ProductProposalSerializer(many=True), 403: ERRORS[403]},
    )
    def get(self, request):
        return Response(
            s.ProductProposalSerializer(proposals.product_proposal_list(), many=True).data
        )


class ProductProposalApproveView(APIView):
    permission_classes = [permission("products.publish_product")]

    @extend_schema(
        tags=["products"],
        summary="Approve a product change proposal (a different parameter administrator)",
        description="Carries the change out at once; the proposer may not approve (403).",
        request=None,
        responses={
            200: s.ProductDetailSerializer,
            409: OpenApiResponse(description="Already decided, or the product changed state."),
            **ERRORS,
        },
    )
    def post(self, request, proposal_id: int):
        proposal = proposals.product_proposal_get(proposal_id=proposal_id)
        product = proposals.product_proposal_approve(
            proposal=proposal, approved_by=request.user, now=timezone.now()
        )
        return Response(s.ProductDetailSerializer(_detail(product.product_code)).data)


class ProductProposalRejectView(APIView):
    permission_classes = [permission("products.publish_product")]

    @extend_schema(
        tags=["products"],
        summary="Reject a product change proposal, saying why",
        request=s.ProposalRejectSerializer,
        responses={
            200: s.ProductProposalSerializer,
            409: OpenApiResponse(description="Already decided."),
            **ERRORS,
        },
    )
    def post(self, request, proposal_id: int):
        proposal = proposals.product_proposal_get(proposal_id=proposal_id)
        serializer = s.ProposalRejectSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        proposal = proposals.product_proposal_reject(
            proposal=proposal,
            rejected_by=request.user,
            comment=serializer.validated_data["comment"],
            now=timezone.now(),
        )
        return Response(s.ProductProposalSerializer(proposal).data)


def transition_view(action: str, summary: str):
    return extend_schema(summary=summary)(
        type(f"Product{action.title()}View", (ProductTransitionView,), {"action": action})
    ).as_view()


class ProductVersionDetailView(APIView):
    permission_classes = [permission(*VIEW_PRODUCT)]

    @extend_schema(
        tags=["products"],
        summary="One version of a product with its parameters",
        responses={200: s.VersionSerializer, 404: ERRORS[404]},
    )
    def get(self, request, product_code: str, number: int):
        product = _detail(product_code)
        version = selectors.product_version_of(product=product, number=number)
        return Response(s.VersionSerializer(version).data)


class ProductDiffView(APIView):
    permission_classes = [permission(*VIEW_PRODUCT)]

    @extend_schema(
        tags=["products"],
        summary="Side-by-side diff of two versions",
        parameters=[
            OpenApiParameter("left", int, required=True),
            OpenApiParameter("right", int, required=True),
        ],
        responses={200: s.ParameterDiffSerializer(many=True), **ERRORS},
    )
    def get(self, request, product_code: str):
        try:
            left = int(request.query_params.get("left", ""))
            right = int(request.query_params.get("right", ""))
        except ValueError as exc:
            raise DomainError(
                fields={"left": [_("Give two version numbers: left and right.")]}
            ) from exc
        product = _detail(product_code)
        diff = selectors.product_version_diff(product=product, left=left, right=right)
        return Response(s.ParameterDiffSerializer(diff, many=True).data)


# ---------------------------------------------------------------- accounts


class AccountListView(generics.ListAPIView):
    serializer_class = s.AccountSerializer
    permission_classes = [
        _split({"GET": ("products.view_account",), "POST": ("products.add_account",)})
    ]
    filterset_class = AccountFilterSet

    def get_queryset(self):
        return selectors.account_list(user=self.request.user)

    @extend_schema(tags=["accounts"], summary="Accounts you may see")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=["accounts"],
        summary="Open an account on a product",
        description=(
            "Resolves every parameter from the product's active version and checks its usage "
            "controls; each broken rule is named in the 400 error body (`code` = the first "
            "rule, `fields` = every field with its rule's message). When a default parameter "
            "is given a value inside the product's negotiable range but outside its free "
            "bounds, the account is created (201) with `status: pending_authorization`, "
            "`authorization_required: true` and the parameter codes in "
            "`negotiated_parameters`: the authorization center decides before it becomes active. "
            "The opening is also evaluated by the authorization rules in force like any "
            "transaction: `decision` carries their answer (mode, level, reasons in words); a "
            "required authorization leaves the account `pending_authorization` as well, and a "
            "refusing rule refuses the opening (400, code `authorization_refused`). A customer "
            "outside your branch subtree gets exactly the unknown number's 400."
        ),
        request=s.AccountOpenSerializer,
        responses={201: s.AccountOpenedSerializer, **ERRORS},
    )
    def post(self, request, *args, **kwargs):
        serializer = s.AccountOpenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        branch = _opening_branch(request.user, data.get("branch_code"))
        opening = services.account_open(
            product_code=data["product_code"],
            customer_no=data["customer_no"],
            currency=data["currency"],
            opening_amount=data["opening_amount"],
            channel=data["channel"],
            medium=data["medium"],
            parameters=data["parameters"],
            opened_by=request.user,
            branch=branch,
            now=timezone.now(),
        )
        account = selectors.account_detail(user=request.user, account_no=opening.account.account_no)
        account.decision = opening.decision
        return Response(s.AccountOpenedSerializer(account).data, status=status.HTTP_201_CREATED)


def _opening_branch(user, branch_code: str | None) -> OrgUnit:
    if branch_code:
        unit = OrgUnit.objects.filter(code=branch_code).first()
        if unit is None or not user_can_see_unit(user, unit):
            message = _("No branch you may open accounts for has this code.")
            raise services.OpeningBranchRequired(message, fields={"branch_code": [message]})
        return unit
    if user.org_unit_id is None:
        message = _("Name the opening branch: your user belongs to no unit.")
        raise services.OpeningBranchRequired(message, fields={"branch_code": [message]})
    return user.org_unit


class AccountDetailView(APIView):
    permission_classes = [permission("products.view_account")]

    @extend_schema(
        tags=["accounts"],
        summary="An account",
        responses={200: s.AccountDetailSerializer, 404: ERRORS[404]},
    )
    def get(self, request, account_no: str):
        return Response(
            s.AccountDetailSerializer(
                selectors.account_detail(user=request.user, account_no=account_no)
            ).data
        )


class AccountTransactionCheckView(APIView):
    permission_classes = [permission("products.view_account")]

    @extend_schema(
        tags=["accounts"],
        summary="May the account do this transaction? (the product's allowed-transactions control)",
        description=(
            "Answers from the values the account was opened with (a later product version "
            "does not change them) and the account's status. `allowed: false` comes with a "
            "`reason_code`: transaction_not_allowed, account_not_active or transaction_unknown."
        ),
        responses={200: s.TransactionPermissionSerializer, 404: ERRORS[404]},
    )
    def get(self, request, account_no: str, transaction_code: str):
        selectors.account_detail(user=request.user, account_no=account_no)  # scope check
        check = selectors.account_transaction_check(
            account_no=account_no, transaction_code=transaction_code
        )
        return Response(s.TransactionPermissionSerializer(check).data)
