"""Pages of the imaging app, mounted under /imaging/: the protected image files, an owner's
images and the upload widget's endpoint."""

from django.urls import path

from . import views

app_name = "imaging"
urlpatterns = [
    path("upload/", views.image_upload, name="image-upload"),
    path("owners/<str:owner_ref>/", views.owner_images, name="owner-images"),
    path("images/<str:public_id>/card/", views.image_card, name="image-card"),
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
