"""API of the products app, mounted under /api/v1/products/."""

from django.urls import path

from products.api import views

PRODUCT = "products/<str:product_code>/"

urlpatterns = [
    path("lines/", views.ProductLineListView.as_view(), name="products-api-lines"),
    path(
        "parameters/", views.ParameterDefinitionListView.as_view(), name="products-api-parameters"
    ),
    path(
        "parameters/<slug:code>/",
        views.ParameterDefinitionDetailView.as_view(),
        name="products-api-parameter",
    ),
    path("templates/", views.TemplateListView.as_view(), name="products-api-templates"),
    path("products/", views.ProductListView.as_view(), name="products-api-products"),
    path(PRODUCT, views.ProductDetailView.as_view(), name="products-api-product"),
    path(f"{PRODUCT}copy/", views.ProductCopyView.as_view(), name="products-api-copy"),
    path(f"{PRODUCT}publish/", views.ProductPublishView.as_view(), name="products-api-publish"),
    path("proposals/", views.ProductProposalListView.as_view(), name="products-api-proposals"),
    path(
        "proposals/<int:proposal_id>/approve/",
        views.ProductProposalApproveView.as_view(),
        name="products-api-proposal-approve",
    ),
    path(
        "proposals/<int:proposal_id>/reject/",
        views.ProductProposalRejectView.as_view(),
        name="products-api-proposal-reject",
    ),
    path(
        f"{PRODUCT}suspend/",
        views.transition_view("suspend", "Suspend an active product"),
        name="products-api-suspend",
    ),
    path(
        f"{PRODUCT}resume/",
        views.transition_view("resume", "Resume a suspended product"),
        name="products-api-resume",
    ),
    path(
        f"{PRODUCT}retire/",
        views.transition_view("retire", "Retire a product"),
        name="products-api-retire",
    ),
    path(
        f"{PRODUCT}versions/<int:number>/",
        views.ProductVersionDetailView.as_view(),
        name="products-api-version",
    ),
    path(f"{PRODUCT}diff/", views.ProductDiffView.as_view(), name="products-api-diff"),
    path("accounts/", views.AccountListView.as_view(), name="products-api-accounts"),
    path(
        "accounts/<str:account_no>/", views.AccountDetailView.as_view(), name="products-api-account"
    ),
    path(
        "accounts/<str:account_no>/transactions/<slug:transaction_code>/",
        views.AccountTransactionCheckView.as_view(),
        name="products-api-account-transaction",
    ),
]
