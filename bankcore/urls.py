from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from bankcore.api.views import HealthView
from bankcore.views import pages

# Each domain app mounts its pages under /<app>/ and its API under /api/v1/<app>/ through
# its own urls modules (named by string, so the kernel imports no app).
DOMAIN_APPS = ("customers", "products", "imaging", "authorization", "reports")

# The API is matched first, and authorization's (the channels' evaluate endpoint, called at
# high rates) first within it: Django tries URL patterns in order, and each miss costs a
# little on every request.
API_APPS = ("authorization", *(app for app in DOMAIN_APPS if app != "authorization"))
api_v1 = [
    *(path(f"{app_label}/", include(f"{app_label}.api.urls")) for app_label in API_APPS),
    path("", include("bankcore.api.urls")),
]

urlpatterns = [
    path("api/v1/", include(api_v1)),
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
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The schema needs a token or a session; the docs page sends signed-out visitors to the
    # login page. The split view serves Swagger UI's script as a file (no inline script, CSP).
    path(
        "api/docs/",
        login_required(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
]

urlpatterns += [path(f"{app_label}/", include(f"{app_label}.urls")) for app_label in DOMAIN_APPS]

handler400 = "bankcore.views.pages.handler400"
handler403 = "bankcore.views.pages.handler403"
handler404 = "bankcore.views.pages.handler404"
handler500 = "bankcore.views.pages.handler500"
