"""Pages of the products app, mounted under /products/."""

app_name = "products"
urlpatterns: list = []
