from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "officers"
urlpatterns = [
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("people/", views.officer_list, name="officer_list"),
    path("people/units/", views.unit_overview, name="unit_overview"),
    path("people/<int:pk>/", views.officer_detail, name="officer_detail"),
    path("people/<int:pk>/hours/add/", views.hours_add, name="hours_add"),
    path("people/<int:pk>/hours/<int:entry_id>/reverse/", views.hours_reverse, name="hours_reverse"),
    path("me/", views.my_profile, name="my_profile"),
]
