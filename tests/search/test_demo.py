"""The demo step: synonyms once, the index built once and then left alone."""
from io import StringIO

import pytest

from casebank.models import Article
from search import demo
from search.models import SynonymGroup

pytestmark = pytest.mark.django_db


def test_demo_builds_once_then_is_fast(whoosh_index, statutes):
    out = StringIO()
    demo.load(out, "pw")
    assert "index built" in out.getvalue()
    assert SynonymGroup.objects.filter(name="流动摊贩").exists()
    assert whoosh_index.search("占道经营", Article).count() == 1
    again = StringIO()
    demo.load(again, "pw")
    assert "index is current" in again.getvalue()
    assert SynonymGroup.objects.filter(name="流动摊贩").count() == 1
    Article.objects.create(law=statutes["laws"]["chufa"], number=200, position=200, text="新增条文",
                           number_text="第二百条")
    third = StringIO()
    demo.load(third, "pw")
    assert "index built" in third.getvalue()
