"""Images over the API: upload (multipart, on this endpoint only) and lists per owner.

Only users who may see the owner (its registered owner-access callable) see or add its
images; for anyone else the owner does not exist (404).
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import selectors, services
from .serializers import ImageSerializer, ImageUploadSerializer, image_body


class CanAddImages(BasePermission):
    def has_permission(self, request, view) -> bool:
        return request.method != "POST" or request.user.has_perm("imaging.add_image")


def _owner_visible_or_404(user, owner_ref: str) -> None:
    if not services.owner_access_allows(user=user, owner_ref=owner_ref):
        raise NotFound()


class ImageListUploadView(APIView):
    """List an owner's images (`?owner_ref=`), or upload one (multipart/form-data)."""

    permission_classes = [IsAuthenticated, CanAddImages]

    def get_parsers(self):
        # Multipart only where files are received: no other endpoint parses uploads.
        return [MultiPartParser()] if self.request and self.request.method == "POST" else []

    @extend_schema(
        operation_id="imaging_images_list",
        parameters=[OpenApiParameter("owner_ref", str, required=True)],
        responses={
            200: inline_serializer("ImageList", {"results": ImageSerializer(many=True)}),
            404: OpenApiResponse(description="No such owner within your scope."),
        },
    )
    def get(self, request):
        owner_ref = request.query_params.get("owner_ref", "")
        if not owner_ref:
            raise ValidationError({"owner_ref": [_("This field is required.")]})
        _owner_visible_or_404(request.user, owner_ref)
        images = selectors.images_for_owner(owner_ref=owner_ref)
        return Response({"results": [image_body(facts) for facts in images]})

    @extend_schema(request=ImageUploadSerializer, responses={201: ImageSerializer})
    def post(self, request):
        serializer = ImageUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        _owner_visible_or_404(request.user, data["owner_ref"])
        facts = services.image_receive(
            owner_ref=data["owner_ref"],
            image_type_code=data["image_type_code"],
            subject_ref=data["subject_ref"],
            upload=data["file"],
            uploaded_by=request.user,
        )
        # Processing ran on commit (eagerly on the embedded default): answer the state now.
        facts = (
            selectors.image_for_owner(owner_ref=facts.owner_ref, public_id=facts.public_id) or facts
        )
        return Response(image_body(facts), status=status.HTTP_201_CREATED)


class ImageDetailView(APIView):
    """One image: state, reject reason, quality results, reuse flags and its URLs."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=ImageSerializer)
    def get(self, request, public_id: str):
        facts = selectors.image_by_public_id(public_id=public_id)
        if facts is None:
            raise NotFound()
        _owner_visible_or_404(request.user, facts.owner_ref)
        return Response(image_body(facts))
