from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from bankcore.api.views import HealthView
from bankcore.views import pages

# Each domain app mounts its pages under /<app>/ and its API under /api/v1/<app>/ through
# its own urls modules (named by string, so the kernel imports no app).
DOMAIN_APPS = ("customers", "products", "imaging", "authorization", "reports")

urlpatterns = [
    path("", pages.home, name="home"),
    path("workspace/<slug:role>/", pages.workspace, name="workspace"),
    path("no-role/", pages.no_role, name="no-role"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("healthz", HealthView.as_view(), name="healthz"),
    path("api/v1/", include("bankcore.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]

for app_label in DOMAIN_APPS:
    urlpatterns += [
        path(f"{app_label}/", include(f"{app_label}.urls")),
        path(f"api/v1/{app_label}/", include(f"{app_label}.api.urls")),
    ]

handler400 = "bankcore.views.pages.handler400"
handler403 = "bankcore.views.pages.handler403"
handler404 = "bankcore.views.pages.handler404"
handler500 = "bankcore.views.pages.handler500"
