"""Protected serving of stored images.

Each request is authenticated (a session or an API token; none → 401), and the image's
owner app is asked whether this user may see it (`register_owner_access`); no image, not
ready, or not allowed all answer 404, so an image's existence is not revealed. Responses are
never cached by shared caches, never sniffed, and name their file. With
IMAGING_X_ACCEL_REDIRECT_PREFIX set (production behind nginx, filesystem storage) the file
itself is sent by nginx from an `internal` location instead of streaming through Python.
"""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from .selectors import image_file_for_serving
from .services import owner_access_allows
from .storage import image_storage, storage_is_local


class ImageFileView(APIView):
    """One derivative of one image, for users who may see its owner."""

    permission_classes = [IsAuthenticated]
    variant = "review"
    as_attachment = False
    schema = None  # a file, not part of the JSON API

    def get(self, request, public_id: str):
        served = image_file_for_serving(public_id=public_id, variant=self.variant)
        if served is None or not owner_access_allows(user=request.user, owner_ref=served.owner_ref):
            raise Http404
        storage = image_storage()
        prefix = settings.IMAGING_X_ACCEL_REDIRECT_PREFIX
        if prefix and storage_is_local(storage):
            response = HttpResponse(content_type="image/jpeg")
            response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + served.key
        else:
            try:
                handle = storage.open(served.key, "rb")
            except FileNotFoundError as exc:
                raise Http404 from exc
            response = FileResponse(handle, content_type="image/jpeg")
        response["Content-Disposition"] = content_disposition_header(
            self.as_attachment, served.filename
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, max-age=300"
        response["Vary"] = "Cookie, Authorization"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response


class ImageViewView(ImageFileView):
    variant = "review"


class ImageReviewDownloadView(ImageFileView):
    variant = "review"
    as_attachment = True


class ImageThumbnailView(ImageFileView):
    variant = "thumbnail"
