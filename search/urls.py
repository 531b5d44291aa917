"""URLs of the search app."""
from django.urls import path  # noqa: F401

app_name = "search"
urlpatterns: list = []
