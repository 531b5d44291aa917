"""The search page's active filters as chips above the results, each a link that removes
exactly that filter (and keeps the query, the type and the other filters)."""
import datetime
import re
from html import unescape

import pytest
from django.http import QueryDict
from django.urls import reverse

from tests.casebank.factories import make_case

pytestmark = pytest.mark.django_db


def test_search_chips_remove_exactly_their_filter(client, officer_user, whoosh_index, statutes):
    make_case("占道经营处罚案", summary="商户占道经营，责令改正。", decision_date=datetime.date(2025, 5, 1))
    make_case("占道经营教育案", summary="首次占道经营，教育劝导。", decision_date=datetime.date(2024, 5, 1))
    client.force_login(officer_user)
    params = {"q": "占道经营", "type": "case", "year": "2025"}
    body = client.get(reverse("search:search"), params).content.decode()
    found = re.findall(r'<a class="chip" data-filter="([^"]+)" href="([^"]+)"[^>]*>([^<]*)', body)
    assert [(key, text.strip()) for key, _h, text in found] == [("year", "年份：2025")]
    query = QueryDict(unescape(found[0][1]).partition("?")[2])
    assert query.dict() == {"q": "占道经营", "type": "case"}
    # the facets wait in a drawer; the results follow it
    assert body.index('<details class="filter-drawer search-facets">') < body.index('class="search-results')
    # without a filter: no chips
    body = client.get(reverse("search:search"), {"q": "占道经营"}).content.decode()
    assert 'class="chip"' not in body
