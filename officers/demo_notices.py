"""Demo notices and public feedback (idempotent): the notices due today for every demo
officer (officers.notices.daily), the 执法证's public particulars on the base type, and
one 表扬 and one 投诉 left on demo officers' 执法证 pages."""
from django.db import transaction
from django.utils import timezone

from . import feedback, notices
from .models import CardFeedback, FeedbackKind, Officer, QualificationType

PRAISE = "今天在菜场门口劝导占道摆摊时很有耐心，先讲道理再帮摊主把东西搬回店里，态度很好，点赞！"
COMPLAINT = "早上八点左右在小区门口处理乱停车时说话语气比较冲，希望改进。"


@transaction.atomic
def load(stdout, password):
    QualificationType.objects.filter(is_base=True, enforcement_category="").update(
        enforcement_category="城市管理综合行政执法")
    demo = Officer.objects.filter(user__username="officer").first()
    n_feedback = 0
    if demo is not None and demo.certificate_number and not CardFeedback.objects.filter(officer=demo).exists():
        feedback.submit(feedback.card_for(demo), kind=FeedbackKind.PRAISE, text=PRAISE)
        n_feedback += 1
    other = (Officer.objects.filter(employee_number__startswith="ZF", is_active=True).exclude(certificate_number="")
             .order_by("employee_number").first())
    if other is not None and not CardFeedback.objects.filter(officer=other).exists():
        feedback.submit(feedback.card_for(other), kind=FeedbackKind.COMPLAINT, text=COMPLAINT, contact="")
        n_feedback += 1
    result = notices.daily(timezone.localdate())
    stdout.write(f"  notices sent: {result.total}; public feedback added: {n_feedback}")
