"""URLs of the courses app."""
from django.urls import path  # noqa: F401

app_name = "courses"
urlpatterns: list = []
