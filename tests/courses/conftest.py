"""Fixtures of the course tests."""
import pytest

from casebank.citations import invalidate_cache

ARTICLE_33 = "违法行为轻微并及时改正，没有造成危害后果的，不予行政处罚。初次违法且危害后果轻微并及时改正的，可以不予行政处罚。"


@pytest.fixture
def penalty_law(db):
    """A one-article statute library: 行政处罚法 第三十三条."""
    from casebank.models import Article, Law

    law = Law.objects.create(source_id="test-penalty", full_name="中华人民共和国行政处罚法", short_name="行政处罚法")
    article = Article.objects.create(law=law, position=33, number=33, number_text="第三十三条", text=ARTICLE_33)
    invalidate_cache()
    yield article
    invalidate_cache()
