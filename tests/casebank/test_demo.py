"""The demo loader: loads what the data files hold, publishes cases, is idempotent."""
import io

import pytest

from casebank import demo
from casebank.importers import ImportSummary
from casebank.models import CasePage, DiscretionBenchmark, PowerItem

pytestmark = pytest.mark.django_db


def test_demo_load_is_idempotent(statutes, monkeypatch):
    monkeypatch.setattr(demo, "import_statutes", lambda **kw: ImportSummary(unchanged_file=True))
    monkeypatch.setattr(demo, "import_regulations", lambda **kw: ImportSummary(unchanged_file=True))
    out = io.StringIO()
    demo.load(out, "x")
    n_cases, n_items, n_bms = CasePage.objects.live().count(), PowerItem.objects.count(), \
        DiscretionBenchmark.objects.count()
    if (demo.DATA_DIR / "cases.json").exists():
        assert n_cases > 0
        assert CasePage.objects.live().filter(duty_areas__isnull=False).exists()
    if (demo.DATA_DIR / "benchmarks.json").exists():
        assert n_bms > 0
    out2 = io.StringIO()
    demo.load(out2, "x")
    assert (CasePage.objects.count(), PowerItem.objects.count(), DiscretionBenchmark.objects.count()) == (
        n_cases, n_items, n_bms)
    assert "新建并发布 0" in out2.getvalue()
