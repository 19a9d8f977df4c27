from django.urls import path

from bankcore.api.views import CurrentUserView, ObtainTokenView

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("auth/me/", CurrentUserView.as_view(), name="api-me"),
]
