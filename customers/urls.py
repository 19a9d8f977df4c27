"""Pages of the customers app, mounted under /customers/."""

from django.urls import path

from customers.views import pages

app_name = "customers"
urlpatterns = [
    path("", pages.customer_search, name="search"),
    path("new/<slug:customer_type>/", pages.customer_create, name="create"),
    path("<str:customer_no>/", pages.customer_detail, name="detail"),
    path("<str:customer_no>/edit/", pages.customer_edit, name="edit"),
    path("<str:customer_no>/documents/new/", pages.document_add, name="document-add"),
    path("<str:customer_no>/extensions/", pages.extensions_edit, name="extensions"),
]
