"""URLs of the exams app (everything under /exams/)."""
from django.urls import path

from .views import bank, marking, officer, analysis, wrongbook

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
    path("exams/manage/<int:pk>/integrity/", marking.integrity_report, name="integrity_report"),
    path("exams/manage/<int:pk>/extra-time/", marking.extra_time, name="extra_time"),
    path("exams/extra-time/", marking.extra_time_index, name="extra_time_index"),
    path("exams/manage/<int:pk>/analysis/", analysis.analysis_view, name="analysis"),
    path("exams/manage/<int:pk>/analysis.<str:fmt>", analysis.analysis_export, name="analysis_export"),
]
