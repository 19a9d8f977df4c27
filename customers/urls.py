"""Pages of the customers app, mounted under /customers/."""

from django.urls import path

from customers.views import search

app_name = "customers"
urlpatterns = [
    path("", search.customer_search, name="search"),
]
