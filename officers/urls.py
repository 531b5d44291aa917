from django.contrib.auth import views as auth_views
from django.urls import path

from . import hr_views, notice_views, verification, views

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
    # Qualifications, certificates and verification.
    path("verify/", verification.verify_form, name="verify"),
    path("verify/card/<str:code>/", verification.card_verify, name="card_verify"),
    path("verify/<str:code>/", verification.verify_code, name="verify_code"),
    path("hr/", hr_views.dashboard, name="hr_dashboard"),
    path("hr/lists/<slug:name>/", hr_views.record_list, name="hr_list"),
    path("hr/lists/<slug:name>/export.<str:fmt>", hr_views.record_export, name="hr_export"),
    path("hr/report/", hr_views.annual_report, name="hr_report"),
    path("hr/certificates.zip", hr_views.certificates_zip, name="hr_certificates_zip"),
    path("hr/qualifications/<int:pk>/<slug:action>/", hr_views.record_action, name="hr_record_action"),
    path("hr/certificates/<int:pk>/reissue/", hr_views.certificate_reissue, name="hr_certificate_reissue"),
    path("hr/people/<int:pk>/evaluate/", hr_views.evaluate_officer, name="hr_evaluate"),
    path("hr/people/<int:pk>/tier/", hr_views.officer_tier, name="hr_officer_tier"),
    path("hr/people/<int:pk>/category/", hr_views.officer_category, name="hr_officer_category"),
    path("certificates/<int:pk>.pdf", hr_views.certificate_pdf, name="certificate_pdf"),
    path("my/qualification/", hr_views.my_qualification, name="my_qualification"),
    # Notices (消息) and citizens' feedback on the 执法证.
    path("my/notices/", notice_views.notice_list, name="notices"),
    path("my/notices/<int:pk>/", notice_views.notice_detail, name="notice_detail"),
    path("my/notices/read-all/", notice_views.notice_read_all, name="notices_read_all"),
    path("hr/feedback/", notice_views.feedback_list, name="hr_feedback"),
    path("hr/feedback/<int:pk>/handled/", notice_views.feedback_handled, name="hr_feedback_handled"),
]
