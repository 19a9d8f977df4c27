"""Pages of the customers app, mounted under /customers/."""

app_name = "customers"
urlpatterns: list = []
