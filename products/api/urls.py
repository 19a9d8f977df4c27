"""API of the products app, mounted under /api/v1/products/."""

urlpatterns: list = []
