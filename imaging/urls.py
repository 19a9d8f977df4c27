"""Pages of the imaging app, mounted under /imaging/: the protected image files."""

from django.urls import path

from . import views

app_name = "imaging"
urlpatterns = [
    path("images/<str:public_id>/view.jpg", views.ImageViewView.as_view(), name="image-view"),
    path(
        "images/<str:public_id>/review.jpg",
        views.ImageReviewDownloadView.as_view(),
        name="image-review",
    ),
    path(
        "images/<str:public_id>/thumbnail.jpg",
        views.ImageThumbnailView.as_view(),
        name="image-thumbnail",
    ),
]
