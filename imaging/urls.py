"""Pages of the imaging app, mounted under /imaging/."""

app_name = "imaging"
urlpatterns: list = []
