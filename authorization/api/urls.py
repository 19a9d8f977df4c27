"""API of the authorization app, mounted under /api/v1/authorization/."""

urlpatterns: list = []
