"""One rule for the names of seeded rows (portal.labels.seeded_name), used by the case bank's duty
areas and measures and by the hours categories: the seeded name follows the reader's language until
an administrator edits it; an edited or unseeded name shows as entered."""
import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy

from casebank.models import DutyArea, EnforcementMeasure
from officers.models import HoursCategory
from portal.labels import seeded_name

SEEDED = gettext_lazy("公共法律知识")


@pytest.mark.parametrize(("name", "seeded", "language", "shown"), [
    ("公共法律知识", SEEDED, "zh-hans", "公共法律知识"),
    ("公共法律知识", SEEDED, "en", "Public legal knowledge"),   # unchanged: the reader's language
    ("法律法规", SEEDED, "en", "法律法规"),                      # edited: as entered
    ("法律法规", SEEDED, "zh-hans", "法律法规"),
    ("Public legal knowledge", SEEDED, "en", "Public legal knowledge"),  # typed in English: as entered
    ("自定义分类", None, "en", "自定义分类"),                     # not seeded
])
def test_seeded_name(name, seeded, language, shown):
    with translation.override(language):
        assert seeded_name(name, seeded) == shown


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "code", "english"), [
    (HoursCategory, "public_law", "Public legal knowledge"),
    (DutyArea, "municipal", "Municipal administration"),
    (EnforcementMeasure, "order_correct", "Order to rectify"),
])
def test_both_apps_follow_the_rule(model, code, english):
    row = model.objects.get(code=code)
    seeded = row.name
    with translation.override("en"):
        assert row.label == english
    row.name = "已改名"
    with translation.override("en"):
        assert row.label == "已改名"
    row.name = seeded
    with translation.override("zh-hans"):
        assert row.label == seeded
