"""Sections of the officer record page about qualifications, certificates,
exams and courses (filled into officer_detail.html's record_sections block)."""
from django import template
from django.db.models import Q
from django.utils import timezone

from .. import exam_results, qualifications, roles
from ..hr_lists import status_display, status_label
from ..models import ACH_COURSE, AuditLog, QualificationRecord
from ..reason_text import in_reader_language
from ..scoping import own_profile

register = template.Library()
register.filter("in_reader_language", in_reader_language)


@register.inclusion_tag("officers/hr/_record_sections.html", takes_context=True)
def qualification_sections(context, officer):
    request = context.get("request")
    user = getattr(request, "user", None)
    is_hr = bool(user and roles.has_role(user, roles.HR))
    profile = own_profile(user) if user else None
    today = timezone.localdate()
    recs = list(QualificationRecord.objects.filter(officer=officer).select_related("qualification_type")
                .order_by("qualification_type__sort_order"))
    for rec in recs:
        code = status_label(rec, today)
        rec.eval_label = status_display(code)
        rec.eval_badge = qualifications.STATUS_BADGES.get(code, "badge-grey")
    history = list(AuditLog.objects.filter(Q(action__startswith="qualification.") | Q(action__startswith="certificate."),
                                           officer=officer)
                   .order_by("-at", "-id")[:200])
    return {
        "officer": officer, "records": recs, "history": history, "is_hr": is_hr, "today": today,
        "certificates": officer.certificates.select_related("replaces").order_by("-issued_at", "-id"),
        "can_download": is_hr or (profile is not None and profile.pk == officer.pk),
        "exams": exam_results.exam_history(officer),
        "courses": officer.achievements.filter(kind=ACH_COURSE).order_by("-achieved_at")[:100],
        "required_hours": qualifications.required_hours(officer, today.year),
        "request": request,
    }


@register.filter
def hours(value):
    """Hours or a score in the one number format: whole numbers as integers, else one decimal."""
    if value is None or value == "":
        return ""
    return qualifications.fmt_hours(value)
