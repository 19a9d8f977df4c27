"""API of the imaging app, mounted under /api/v1/imaging/."""

urlpatterns: list = []
