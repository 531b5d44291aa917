"""URLs of the exams app (everything under /exams/)."""
from django.urls import path

from .views import analysis, bank, batch, marking, officer, practice, reports, wrongbook

app_name = "exams"
urlpatterns = [
    # officers
    path("exams/", officer.exam_list, name="exam_list"),
    path("exams/<int:pk>/", officer.exam_detail, name="exam_detail"),
    path("exams/<int:pk>/start/", officer.start, name="start"),
    path("exams/sittings/<int:pk>/", officer.sitting_view, name="sitting"),
    path("exams/sittings/<int:pk>/answer/", officer.autosave, name="autosave"),
    path("exams/sittings/<int:pk>/event/", officer.event, name="event"),
    path("exams/sittings/<int:pk>/finish/", officer.confirm_submit, name="confirm_submit"),
    path("exams/sittings/<int:pk>/submit/", officer.submit, name="submit"),
    path("exams/sittings/<int:pk>/result/", officer.result, name="result"),
    path("exams/sittings/<int:pk>/figure/<int:position>/", officer.figure, name="figure"),
    path("exams/wrong/", wrongbook.book, name="wrong_book"),
    path("exams/wrong/practice/", wrongbook.practice, name="wrong_practice"),
    path("exams/practice/", practice.home, name="practice"),
    path("exams/practice/sequential/", practice.sequential, name="practice_seq"),
    path("exams/practice/chapter/<str:category>/", practice.chapter, name="practice_chapter"),
    path("exams/practice/random/", practice.random_practice, name="practice_random"),
    path("exams/practice/favourites/practice/", practice.favourite_practice, name="practice_fav"),
    path("exams/practice/recite/", practice.recite, name="practice_recite"),
    path("exams/practice/favourites/", practice.favourite_list, name="practice_favourites"),
    path("exams/practice/favourite/<int:pk>/", practice.favourite_toggle, name="practice_favourite"),
    path("exams/practice/report/<int:pk>/", practice.report, name="practice_report"),
    path("exams/practice/reports/", practice.my_reports, name="practice_reports"),
    # trainers
    path("exams/bank/", bank.question_list, name="bank"),
    path("exams/bank/export.<str:fmt>", bank.export, name="bank_export"),
    path("exams/bank/template.<str:fmt>", bank.template, name="bank_template"),
    path("exams/bank/import/", bank.import_view, name="bank_import"),
    path("exams/bank/<int:pk>/", bank.question_detail, name="question_detail"),
    path("exams/manage/", marking.manage_list, name="manage"),
    path("exams/manage/<int:pk>/sittings/", marking.exam_sittings, name="exam_sittings"),
    path("exams/manage/sittings/<int:pk>/", marking.sitting_detail, name="manage_sitting"),
    path("exams/marking/", marking.queue, name="marking"),
    path("exams/marking/<int:pk>/", marking.mark, name="mark"),
    path("exams/marking/exam/<int:pk>/", batch.question_list, name="batch_questions"),
    path("exams/marking/exam/<int:pk>/question/<int:qid>/", batch.batch_mark, name="batch_mark"),
    path("exams/reports/", reports.queue, name="reports"),
    path("exams/reports/<int:pk>/", reports.resolve, name="report_resolve"),
    path("exams/manage/<int:pk>/integrity/", marking.integrity_report, name="integrity_report"),
    path("exams/manage/<int:pk>/extra-time/", marking.extra_time, name="extra_time"),
    path("exams/extra-time/", marking.extra_time_index, name="extra_time_index"),
    path("exams/manage/<int:pk>/analysis/", analysis.analysis_view, name="analysis"),
    path("exams/manage/<int:pk>/analysis.<str:fmt>", analysis.analysis_export, name="analysis_export"),
]
