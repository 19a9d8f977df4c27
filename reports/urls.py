"""Pages of the reports app, mounted under /reports/."""

from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("now/", views.dashboard_now, name="now"),
    path("requests/", views.request_list, name="requests"),
    path("quality/", views.quality, name="quality"),
    path("refresh/", views.refresh_now, name="refresh"),
    path("export/<slug:table>.<slug:extension>", views.export, name="export"),
    path("instrumentation/", views.instrumentation, name="instrumentation"),
]
