"""The demo loader: loads what the data files hold, publishes cases, is idempotent."""
import io
import json

import pytest

from casebank import demo
from casebank.importers import ImportSummary
from casebank.models import CasePage, DiscretionBenchmark, PowerItem

pytestmark = pytest.mark.django_db


def _rows(name):
    """The rows of a demo data file (the files are part of the repository: a missing one fails)."""
    path = demo.DATA_DIR / f"{name}.json"
    assert path.exists(), f"demo data file missing: {path}"
    rows = json.loads(path.read_text(encoding="utf-8"))
    assert rows, f"demo data file empty: {path}"
    return rows


def test_demo_load_is_idempotent(statutes, monkeypatch):
    monkeypatch.setattr(demo, "import_statutes", lambda **kw: ImportSummary(unchanged_file=True))
    monkeypatch.setattr(demo, "import_regulations", lambda **kw: ImportSummary(unchanged_file=True))
    cases = {r["slug"] for r in _rows("cases") if r.get("slug") and r.get("title")}
    benchmarks = {r["code"] for r in _rows("benchmarks") if r.get("code") and r.get("violation")}
    items = {r["code"] for r in _rows("power_items") if r.get("code") and r.get("name")}
    out = io.StringIO()
    demo.load(out, "x")
    assert set(CasePage.objects.live().values_list("slug", flat=True)) == cases
    assert not CasePage.objects.not_live().exists()  # every demo case is published
    assert CasePage.objects.live().filter(duty_areas__isnull=False).exists()
    assert set(DiscretionBenchmark.objects.values_list("code", flat=True)) == benchmarks
    assert set(PowerItem.objects.values_list("code", flat=True)) == items
    counts = (CasePage.objects.count(), PowerItem.objects.count(), DiscretionBenchmark.objects.count())
    out2 = io.StringIO()
    demo.load(out2, "x")
    assert (CasePage.objects.count(), PowerItem.objects.count(), DiscretionBenchmark.objects.count()) == counts
    assert "新建并发布 0" in out2.getvalue()
