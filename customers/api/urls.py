"""API of the customers app, mounted under /api/v1/customers/."""

urlpatterns: list = []
