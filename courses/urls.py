"""URLs of the courses app (the course and lesson pages themselves are served by Wagtail)."""
from django.urls import path

from . import staff_views, study_views, views

app_name = "courses"
urlpatterns = [
    path("learning/", views.my_learning_view, name="my_learning"),
    path("learning/lessons/<int:pk>/complete/", views.complete_lesson, name="complete_lesson"),
    path("learning/assignments/", staff_views.assignment_list, name="assignments"),
    path("learning/assignments/<int:pk>/delete/", staff_views.assignment_delete, name="assignment_delete"),
    path("learning/lessons/<int:pk>/heartbeat/", study_views.heartbeat, name="heartbeat"),
    path("learning/study-time/", study_views.study_time_report, name="study_time"),
    path("learning/report/", staff_views.completion_report, name="report"),
    path("learning/sessions/", staff_views.session_list, name="sessions"),
    path("learning/sessions/<int:pk>/signup/", staff_views.session_signup, name="session_signup"),
    path("learning/markdown-preview/", staff_views.markdown_preview, name="markdown_preview"),
    path("learning/sessions/<int:pk>/attendance/", staff_views.session_attendance, name="session_attendance"),
]
