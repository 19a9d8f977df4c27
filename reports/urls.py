"""Pages of the reports app, mounted under /reports/."""

app_name = "reports"
urlpatterns: list = []
