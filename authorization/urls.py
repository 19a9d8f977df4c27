"""Pages of the authorization app, mounted under /authorization/."""

from django.urls import path

from authorization import views
from authorization.views import requests_review, requests_teller

app_name = "authorization"
urlpatterns = [
    path("", views.version_list, name="versions"),
    path("drafts/new/", views.draft_create, name="draft-create"),
    path("compare/", views.version_compare, name="compare"),
    path("try/", views.try_it, name="try-it"),
    path("proposals/", views.proposal_list, name="proposals"),
    path("proposals/<int:proposal_id>/approve/", views.proposal_approve, name="proposal-approve"),
    path("proposals/<int:proposal_id>/reject/", views.proposal_reject, name="proposal-reject"),
    path(
        "proposals/<int:proposal_id>/withdraw/", views.proposal_withdraw, name="proposal-withdraw"
    ),
    path("versions/<int:number>/", views.version_detail, name="version"),
    path("versions/<int:number>/check/", views.version_check, name="check"),
    path("versions/<int:number>/simulate/", views.version_simulate, name="simulate"),
    path("versions/<int:number>/publish/", views.version_publish, name="publish"),
    path("versions/<int:number>/rules/preview/", views.condition_preview, name="condition-preview"),
    path("versions/<int:number>/<slug:kind>/new/", views.item_edit, name="item-new"),
    path("versions/<int:number>/<slug:kind>/<int:pk>/", views.item_edit, name="item-edit"),
    path(
        "versions/<int:number>/<slug:kind>/<int:pk>/delete/",
        views.item_delete,
        name="item-delete",
    ),
    # Tellers, branch supervisors and remote authorizers (issue 11)
    path("requests/", requests_teller.my_requests, name="requests-mine"),
    path("requests/new/", requests_teller.request_new, name="request-new"),
    path("requests/badge/", requests_teller.my_requests_badge, name="requests-mine-badge"),
    path("requests/accounts/", requests_teller.account_pick, name="account-pick"),
    path("requests/submit/", requests_teller.request_submit, name="request-submit"),
    path("requests/<str:reference>/", requests_teller.request_detail, name="request"),
    path("requests/<str:reference>/status/", requests_teller.request_status, name="request-status"),
    path(
        "requests/<str:reference>/evidence/",
        requests_teller.request_evidence,
        name="request-evidence",
    ),
    path(
        "requests/<str:reference>/images/",
        requests_teller.request_image_attach,
        name="request-image-attach",
    ),
    path("requests/<str:reference>/cancel/", requests_teller.request_cancel, name="request-cancel"),
    path(
        "requests/<str:reference>/resubmit/",
        requests_teller.request_resubmit,
        name="request-resubmit",
    ),
    path(
        "requests/<str:reference>/transfer/",
        requests_teller.request_transfer_by_submitter,
        name="request-transfer",
    ),
    path(
        "requests/<str:reference>/on-site/", requests_teller.request_on_site, name="request-on-site"
    ),
    path("review/", requests_review.review_queue, name="review-queue"),
    path("review/live/", requests_review.review_queue_live, name="review-queue-live"),
    path("review/badge/", requests_review.review_queue_badge, name="review-queue-badge"),
    path("review/next/", requests_review.review_next, name="review-next"),
    path("review/<str:reference>/", requests_review.review_task, name="review-task"),
    path("review/<str:reference>/release/", requests_review.review_release, name="review-release"),
    path(
        "review/<str:reference>/transfer/", requests_review.review_transfer, name="review-transfer"
    ),
]
