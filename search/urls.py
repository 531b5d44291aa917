"""URLs of the search app."""
from django.urls import path

from search import views

app_name = "search"
urlpatterns = [
    path("search/", views.search_page, name="search"),
    path("api/search/", views.search_api, name="api"),
    path("api/search/suggest/", views.suggest_api, name="suggest"),
]
