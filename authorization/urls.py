"""Pages of the authorization app, mounted under /authorization/."""

from django.urls import path

from authorization import views

app_name = "authorization"
urlpatterns = [
    path("", views.version_list, name="versions"),
    path("drafts/new/", views.draft_create, name="draft-create"),
    path("compare/", views.version_compare, name="compare"),
    path("try/", views.try_it, name="try-it"),
    path("versions/<int:number>/", views.version_detail, name="version"),
    path("proposals/", views.proposal_list, name="proposals"),
    path("proposals/<int:proposal_id>/approve/", views.proposal_approve, name="proposal-approve"),
    path("proposals/<int:proposal_id>/reject/", views.proposal_reject, name="proposal-reject"),
    path(
        "proposals/<int:proposal_id>/withdraw/", views.proposal_withdraw, name="proposal-withdraw"
    ),
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
]
