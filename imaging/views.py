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
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from .forms import ACCEPT, ImageUploadForm
from .selectors import image_by_public_id, image_file_for_serving, images_for_owner
from .services import ImageRefused, image_receive, owner_access_allows
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


# --- Pages: an owner's images and the upload widget -------------------------------------------
# The owner app (authorization request pages) includes "imaging/_upload.html" per required
# image type and "imaging/_image_card.html" per image; this page shows both for one owner.


@login_required
def owner_images(request: HttpRequest, owner_ref: str) -> HttpResponse:
    if not owner_access_allows(user=request.user, owner_ref=owner_ref):
        raise Http404
    images = images_for_owner(owner_ref=owner_ref)
    codes = [code for code in request.GET.get("types", "").split(",") if code.strip()]
    for facts in images:
        if facts.image_type_code not in codes:
            codes.append(facts.image_type_code)
    sections = [
        (code, [facts for facts in images if facts.image_type_code == code]) for code in codes
    ]
    return render(
        request,
        "imaging/owner_images.html",
        {
            "owner_ref": owner_ref,
            "sections": sections,
            "can_add": request.user.has_perm("imaging.add_image"),
            "accept": ACCEPT,
        },
    )


@login_required
def image_card(request: HttpRequest, public_id: str) -> HttpResponse:
    """One image's card (the widget polls it until the image is ready or rejected)."""
    facts = image_by_public_id(public_id=public_id)
    if facts is None or not owner_access_allows(user=request.user, owner_ref=facts.owner_ref):
        raise Http404
    return render(request, "imaging/_image_card.html", {"image": facts})


@login_required
@require_POST
def image_upload(request: HttpRequest) -> HttpResponse:
    """Receive one file from the upload widget (multipart). Answers the image's card (201)
    or the reason it was refused (400), as HTML for the widget's script; without the script,
    redirects back to the owner's page with the same message."""
    form = ImageUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _upload_answer(
            request, form.cleaned_data.get("owner_ref", ""), error=form.errors.as_text()
        )
    data = form.cleaned_data
    if not request.user.has_perm("imaging.add_image") or not owner_access_allows(
        user=request.user, owner_ref=data["owner_ref"]
    ):
        raise Http404
    try:
        facts = image_receive(
            owner_ref=data["owner_ref"],
            image_type_code=data["image_type_code"],
            subject_ref=data["subject_ref"],
            upload=data["file"],
            uploaded_by=request.user,
        )
    except ImageRefused as refused:
        return _upload_answer(request, data["owner_ref"], error=refused.message)
    facts = image_by_public_id(public_id=facts.public_id) or facts
    return _upload_answer(request, data["owner_ref"], facts=facts)


def _upload_answer(request, owner_ref: str, *, facts=None, error: str = "") -> HttpResponse:
    if request.headers.get("X-Requested-With") == "XMLHttpRequest":
        if error:
            return render(request, "imaging/_upload_error.html", {"error": error}, status=400)
        return render(request, "imaging/_image_card.html", {"image": facts}, status=201)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("The image was received."))
    if owner_ref and url_has_allowed_host_and_scheme(
        request.POST.get("next", ""), allowed_hosts={request.get_host()}
    ):
        return redirect(request.POST["next"])
    return redirect(reverse("imaging:owner-images", args=[owner_ref]) if owner_ref else "home")
