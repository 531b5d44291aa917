"""URLs of the casebank app."""
from django.urls import path  # noqa: F401

app_name = "casebank"
urlpatterns: list = []
