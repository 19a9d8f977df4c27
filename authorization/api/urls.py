"""API of the authorization app, mounted under /api/v1/authorization/."""

from django.urls import include, path

from .views import EvaluateView

urlpatterns = [
    path("evaluate", EvaluateView.as_view(), name="authorization-evaluate"),
    path("", include("authorization.api.request_urls")),
]
