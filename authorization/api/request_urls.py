"""Routes of the authorization requests API (included by authorization.api.urls)."""

from django.urls import path

from . import request_views as views

REF = "requests/<str:reference>"
urlpatterns = [
    path("requests", views.RequestListCreateView.as_view(), name="request-list"),
    path("requests/claim-next", views.ClaimNextView.as_view(), name="request-claim-next"),
    path("requests/counts", views.RequestCountsView.as_view(), name="request-counts"),
    path("reason-codes", views.ReasonCodesView.as_view(), name="reason-codes"),
    path("delegations", views.DelegationListCreateView.as_view(), name="delegations"),
    path(
        "delegations/<int:delegation_id>/revoke",
        views.DelegationRevokeView.as_view(),
        name="delegation-revoke",
    ),
    path(REF, views.RequestDetailView.as_view(), name="request-detail"),
    path(f"{REF}/cancel", views.CancelView.as_view(), name="request-cancel"),
    path(f"{REF}/release", views.ReleaseView.as_view(), name="request-release"),
    path(f"{REF}/verdicts", views.VerdictsView.as_view(), name="request-verdicts"),
    path(f"{REF}/approve", views.ApproveView.as_view(), name="request-approve"),
    path(f"{REF}/reject", views.RejectView.as_view(), name="request-reject"),
    path(f"{REF}/return", views.ReturnView.as_view(), name="request-return"),
    path(f"{REF}/resubmit", views.ResubmitView.as_view(), name="request-resubmit"),
    path(f"{REF}/transfer", views.TransferView.as_view(), name="request-transfer"),
    path(f"{REF}/on-site-decision", views.OnSiteDecisionView.as_view(), name="request-on-site"),
    path(f"{REF}/images", views.ImageAttachView.as_view(), name="request-images"),
    path(f"{REF}/trail", views.TrailView.as_view(), name="request-trail"),
]
