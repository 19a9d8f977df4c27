"""API of the reports app, mounted under /api/v1/reports/."""

urlpatterns: list = []
