"""Demo case work (idempotent): the trainer sets one 类案检索报告 on a demo case for 江北区's
officers, due in a few days, so that it shows on their dashboards and in their notices; the squad
leader of 江北区第一中队 recommends one local case, which waits for 法制审核 as a draft."""
import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from officers.models import Unit

from . import recommend
from .casework import CaseRecommendation, SimilarCaseAssignment
from .models import CasePage, DutyArea

CASE_SLUG = "jiangbei-sichuan-restaurant-fumes-2023"
UNIT_CODE = "SZ-JB"
DUE_IN_DAYS = 5
INSTRUCTIONS = (
    "在案例库中检索餐饮服务业油烟超标排放的类似案例，至少选取两件与本案比对：逐件写明案情的异同、"
    "裁量结果的异同，以及对本案处理可供参考的结论；最后写出总体结论。"
)


RECOMMENDER = "leader"
#: The recommended local case; its only citation is one the demo's published cases already make.
RECOMMENDED = {
    "title": "某便利店超出门窗在人行道摆放冰柜逾期不改正案",
    "district": "江北区",
    "violation_type": "擅自超出门窗店外经营，逾期不改正",
    "fine_amount": 300,
    "facts": ("江北区某街道一家便利店（个体工商户，经营者王某）在店门外的人行道上摆放冰柜和饮料货架，"
              "占用人行道约4平方米，早晚高峰时行人需绕行。执法队员巡查发现后当场拍照取证，书面责令王某于次日"
              "中午前将冰柜和货架撤回店内。次日下午复查，冰柜仍摆放在店外，王某称店内空间不足。"),
    "issues": "经营者以店内空间不足为由未按期撤回，是否属于逾期不改正；罚款数额如何结合占用面积和影响通行的程度确定。",
    "legal_basis_text": ("违反《浙江省城市市容和环境卫生管理条例》第十七条第一款，依照该条第三款责令限期改正；"
                         "逾期不改正，处罚款三百元。"),
    "outcome": "王某缴纳罚款三百元，当日将冰柜和货架撤回店内。中队随后对该路段沿街商户开展了店外经营劝导。",
}
RECOMMEND_REASON = "辖区沿街商铺店外经营多发，本案责令改正、复查取证、逾期处罚的程序完整，可供各中队办理同类案件参考。"
RECOMMEND_DAYS_AGO = 20


def _recommendation(stdout):
    user = get_user_model().objects.filter(username=RECOMMENDER).first()
    if user is None or not recommend.may_recommend(user):
        stdout.write("  casebank: 案例推荐 skipped (no squad leader login)")
        return
    if CaseRecommendation.objects.filter(recommended_by=user).exists():
        stdout.write("  casebank: 案例推荐 新建 0")
        return
    data = {**RECOMMENDED, "decision_date": timezone.localdate() - datetime.timedelta(days=RECOMMEND_DAYS_AGO),
            "duty_areas": list(DutyArea.objects.filter(code="municipal"))}
    try:
        recommend.recommend(user, data, reason=RECOMMEND_REASON)
    except recommend.RecommendationError as exc:
        stdout.write(f"  casebank: 案例推荐 skipped ({'; '.join(exc.messages)})")
        return
    stdout.write("  casebank: 案例推荐 新建 1（待法制审核）")


def load(stdout, password=None):
    _assignment(stdout)
    _recommendation(stdout)


@transaction.atomic
def _assignment(stdout):
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
