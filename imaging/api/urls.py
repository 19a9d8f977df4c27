"""API of the imaging app, mounted under /api/v1/imaging/."""

from django.urls import path

from .views import ImageDetailView, ImageListUploadView

urlpatterns = [
    path("images/", ImageListUploadView.as_view(), name="imaging-images"),
    path("images/<str:public_id>/", ImageDetailView.as_view(), name="imaging-image"),
]
