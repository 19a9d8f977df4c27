from django.urls import path

from bankcore.api.views import CurrentUserView, LogoutAllView, LogoutView, ObtainTokenView

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("auth/me/", CurrentUserView.as_view(), name="api-me"),
    path("auth/logout/", LogoutView.as_view(), name="api-logout"),
    path("auth/logout-all/", LogoutAllView.as_view(), name="api-logout-all"),
]
