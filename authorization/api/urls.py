"""API of the authorization app, mounted under /api/v1/authorization/."""

from django.urls import include, path

from .rule_set_views import RuleSetVersionListView
from .views import EvaluateView

urlpatterns = [
    path("evaluate", EvaluateView.as_view(), name="authorization-evaluate"),
    path("rule-sets/", RuleSetVersionListView.as_view(), name="authorization-rule-sets"),
    path("", include("authorization.api.request_urls")),
]
