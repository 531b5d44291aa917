"""URLs of the casebank app."""
from django.urls import path

from .views import bookmarks, citations, feedback, powers, recommend, similar_reports, statutes

app_name = "casebank"
urlpatterns = [
    path("statutes/", statutes.law_index, name="law_index"),
    path("statutes/<str:law_id>/", statutes.law_detail, name="law_detail"),
    path("statutes/<str:law_id>/compare/", statutes.law_compare, name="law_compare"),
    path("statutes/<str:law_id>/<int:number>/", statutes.article_permalink, name="article_permalink"),
    path("powers/", powers.power_list, name="power_list"),
    path("powers/<str:code>/", powers.power_detail, name="power_detail"),
    path("benchmarks/", powers.benchmark_list, name="benchmark_list"),
    path("benchmarks/<str:code>/", powers.benchmark_detail, name="benchmark_detail"),
    path("public/powers/", powers.public_power_list, name="public_power_list"),
    path("public/powers/<str:code>/", powers.public_power_detail, name="public_power_detail"),
    path("public/benchmarks/", powers.public_benchmark_list, name="public_benchmark_list"),
    path("public/benchmarks/<str:code>/", powers.public_benchmark_detail, name="public_benchmark_detail"),
    path("citations/check/", citations.check_page, name="citation_check"),
    path("case-reports/", similar_reports.my_reports, name="my_reports"),
    path("case-reports/<int:pk>/", similar_reports.write, name="report_write"),
    path("case-reports/manage/", similar_reports.manage, name="report_manage"),
    path("case-reports/manage/<int:pk>/", similar_reports.assignment_detail, name="report_assignment"),
    path("case-reports/assign/<int:case_id>/", similar_reports.assign, name="report_assign"),
    path("case-reports/mark/<int:pk>/", similar_reports.mark, name="report_mark"),
    path("case-recommend/", recommend.recommend, name="recommend"),
    path("my/bookmarks/", bookmarks.my_bookmarks, name="my_bookmarks"),
    path("my/bookmarks/<int:pk>/note/", bookmarks.bookmark_note, name="bookmark_note"),
    path("my/bookmarks/<int:pk>/remove/", bookmarks.bookmark_remove, name="bookmark_remove"),
    path("my/bookmarks/case/<int:pk>/", bookmarks.star, {"kind": "case"}, name="case_star"),
    path("my/bookmarks/case/<int:pk>/note/", bookmarks.note, {"kind": "case"}, name="case_note"),
    path("my/bookmarks/article/<int:pk>/", bookmarks.star, {"kind": "article"}, name="article_star"),
    path("my/bookmarks/article/<int:pk>/note/", bookmarks.note, {"kind": "article"}, name="article_note"),
    path("case-feedback/", feedback.queue, name="case_feedback"),
    path("case-feedback/<int:pk>/", feedback.resolve, name="case_feedback_resolve"),
    path("case-feedback/new/<int:pk>/", feedback.submit, name="case_feedback_submit"),
]
