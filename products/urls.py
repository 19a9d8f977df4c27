"""Pages of the products app, mounted under /products/."""

from django.urls import path

from products import views

app_name = "products"
urlpatterns = [
    path("", views.product_list, name="list"),
    path("templates/", views.template_list, name="templates"),
    path("templates/<slug:template_code>/new/", views.product_create, name="create"),
    path("templates/<slug:template_code>/edit/", views.template_edit, name="template-edit"),
    path("catalogue/", views.parameter_catalogue, name="catalogue"),
    path("catalogue/new/", views.parameter_create, name="parameter-create"),
    path("catalogue/<slug:code>/", views.parameter_edit, name="parameter-edit"),
    path("proposals/", views.proposal_list, name="proposals"),
    path(
        "proposals/<int:proposal_id>/<slug:decision>/",
        views.proposal_decide,
        name="proposal-decide",
    ),
    path("accounts/open/", views.account_open, name="account-open"),
    path("accounts/open/products/", views.product_pick, name="pick"),
    path("accounts/open/terms/", views.account_open_terms, name="account-open-terms"),
    path("accounts/open/parameter/", views.account_open_parameter, name="account-open-parameter"),
    path("accounts/<str:account_no>/", views.account_detail, name="account-detail"),
    path("<str:product_code>/", views.product_designer, name="designer"),
    path("<str:product_code>/copy/", views.product_copy, name="copy"),
    path("<str:product_code>/diff/", views.product_diff, name="diff"),
    path("<str:product_code>/<slug:action>/", views.product_action, name="action"),
]
