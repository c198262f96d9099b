"""The map's JSON API under /api/v1/ (api.py)."""

urlpatterns = []
