"""Pages of the authorization app, mounted under /authorization/."""

app_name = "authorization"
urlpatterns: list = []
