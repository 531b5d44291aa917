"""Demo 类案检索报告 task (idempotent): the trainer sets one report on a demo case for 江北区's
officers, due in a few days, so that it shows on their dashboards and in their notices."""
import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from officers.models import Unit

from .casework import SimilarCaseAssignment
from .models import CasePage

CASE_SLUG = "jiangbei-sichuan-restaurant-fumes-2023"
UNIT_CODE = "SZ-JB"
DUE_IN_DAYS = 5
INSTRUCTIONS = (
    "在案例库中检索餐饮服务业油烟超标排放的类似案例，至少选取两件与本案比对：逐件写明案情的异同、"
    "裁量结果的异同，以及对本案处理可供参考的结论；最后写出总体结论。"
)


@transaction.atomic
def load(stdout, password=None):
    case = CasePage.objects.live().filter(slug=CASE_SLUG).first()
    unit = Unit.objects.filter(code=UNIT_CODE).first()
    if case is None or unit is None:
        stdout.write("  casebank: 类案检索报告任务 skipped (demo case or unit missing)")
        return
    if SimilarCaseAssignment.objects.filter(case=case, unit=unit).exists():
        stdout.write("  casebank: 类案检索报告任务 新建 0")
        return
    SimilarCaseAssignment.objects.create(
        case=case, unit=unit, include_subunits=True, min_cases=2, instructions=INSTRUCTIONS,
        due_date=timezone.localdate() + datetime.timedelta(days=DUE_IN_DAYS),
        assigned_by=get_user_model().objects.filter(username="trainer").first())
    stdout.write("  casebank: 类案检索报告任务 新建 1")
