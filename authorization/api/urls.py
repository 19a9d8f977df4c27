"""API of the authorization app, mounted under /api/v1/authorization/."""

from django.urls import path

from .views import EvaluateView

urlpatterns = [
    path("evaluate", EvaluateView.as_view(), name="authorization-evaluate"),
]
