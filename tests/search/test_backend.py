"""Both search backends (Whoosh; PostgreSQL when the tests run on it) on the statute models: Chinese search, synonyms, partial
matches, filters, ordering, counts, pagination, scores, facets, autocomplete,
updates and deletes."""
import pytest
from modelsearch.query import MATCH_ALL, Phrase, PlainText

from casebank.models import Article, Law
from search.models import SynonymGroup
from search.query import BestMatch

pytestmark = pytest.mark.django_db


def titles(results):
    return [str(r) for r in results]


def test_chinese_query_finds_article(search_index, statutes):
    """A domain term kept whole by the dictionary finds the article that uses it."""
    results = search_index.search("占道经营", Article)
    assert [r.pk for r in results] == [statutes["articles"]["stall"].pk]


def test_multi_word_and_or(search_index, statutes):
    arts = statutes["articles"]
    both = search_index.search("流动摊贩 罚款", Article, operator="and")
    assert {r.pk for r in both} == {arts["stall"].pk}
    either = search_index.search("流动摊贩 罚款", Article, operator="or")
    assert {arts["stall"].pk, arts["summary"].pk, arts["fine_only"].pk} <= {r.pk for r in either}


def test_best_match_ranks_partial_matches_below_full_matches(search_index, statutes):
    """No article has both words: partial matches still come; a full match comes first."""
    arts = statutes["articles"]
    results = list(search_index.search(BestMatch("占道经营 罚款"), Article).annotate_score("_score"))
    assert results[0].pk == arts["stall"].pk  # has both words
    others = {r.pk for r in results[1:]}
    assert {arts["summary"].pk, arts["fine_only"].pk} <= others
    assert results[0]._score > max(r._score for r in results[1:])
    nothing_full = list(search_index.search(BestMatch("共享单车 门前三包"), Article))
    assert {r.pk for r in nothing_full} == {arts["bike"].pk, arts["three"].pk}


def test_statute_reference_in_either_numeral_style(search_index, statutes):
    """第33条 finds 第三十三条 and the law name narrows it."""
    results = list(search_index.search(BestMatch("行政处罚法 第33条"), Article))
    assert results[0].pk == statutes["articles"]["first_minor"].pk


def test_mixed_latin_numbers(search_index, statutes):
    assert [r.pk for r in search_index.search("PM2.5", Article)] == [statutes["articles"]["pm"].pk]
    assert [r.pk for r in search_index.search("pm2.5 露天焚烧", Article)] == [statutes["articles"]["pm"].pk]


def test_synonyms_at_query_time(search_index, statutes):
    """摆摊 finds the article about 流动摊贩 once reviewers declare them synonyms."""
    assert list(search_index.search("摆摊", Article)) == []
    SynonymGroup.objects.create(name="摊贩", terms="流动摊贩、摆摊、流动商贩")
    assert [r.pk for r in search_index.search("摆摊", Article)] == [statutes["articles"]["stall"].pk]


def test_phrase(search_index, statutes):
    results = search_index.search(Phrase("不予行政处罚"), Article)
    assert [r.pk for r in results] == [statutes["articles"]["first_minor"].pk]


def test_filters_are_applied(search_index, statutes):
    old = statutes["laws"]["old"]
    in_force = search_index.search(MATCH_ALL, Article.objects.filter(law_status="in_force"))
    assert statutes["articles"]["pm"].pk not in {r.pk for r in in_force}
    assert in_force.count() == 6
    by_law = search_index.search("超标", Article.objects.filter(law_id=old.pk))
    assert [r.pk for r in by_law] == [statutes["articles"]["pm"].pk]
    related = search_index.search(MATCH_ALL, Article.objects.filter(law__status="repealed"))
    assert [r.pk for r in related] == [statutes["articles"]["pm"].pk]


def test_ordering_count_pagination_scores(search_index, statutes):
    qs = Article.objects.filter(law_id=statutes["laws"]["chufa"].pk).order_by("-number")
    results = search_index.search(MATCH_ALL, qs, order_by_relevance=False)
    numbers = [r.number for r in results]
    assert numbers == sorted(numbers, reverse=True)
    assert results.count() == 6
    page2 = results[2:4]
    assert [r.number for r in page2] == numbers[2:4]
    assert page2.count() == 2
    scored = search_index.search("罚款", Article).annotate_score("score")
    assert all(isinstance(r.score, float) and r.score > 0 for r in scored)


def test_facets(search_index, statutes):
    facets = search_index.search(MATCH_ALL, Article).facet("law_status")
    assert dict(facets) == {"in_force": 6, "repealed": 1}
    assert list(facets)[0] == "in_force"
    numbers = search_index.search("罚款", Article).facet("number")
    assert set(numbers) >= {51, 90}


def test_facet_counts_follow_deletions_and_new_documents(search_index, statutes):
    """Facet values are read once per index state: a deletion or a new document is counted
    at once (a new state), on one- and many-valued fields alike."""
    before = dict(search_index.search(MATCH_ALL, Article).facet("law_status"))
    art = statutes["articles"]["bike"]
    search_index.delete(art)
    after = dict(search_index.search(MATCH_ALL, Article).facet("law_status"))
    assert after[art.law_status] == before[art.law_status] - 1
    search_index.add(art)
    assert dict(search_index.search(MATCH_ALL, Article).facet("law_status")) == before


def test_preload_reads_the_most_frequent_words_within_the_budget(whoosh_index, statutes):
    from search.backends import postings

    postings.segments.clear()
    postings.merged.clear()
    terms, read = whoosh_index.preload(max_postings=30)
    assert 1 <= terms and 0 < read <= 30
    cached = [key for key in postings.segments._items if key[0] == "p" and key[2] == "all"]
    assert len(cached) >= terms  # the posting lists of those words are in memory
    assert whoosh_index.preload(max_postings=0) == (0, 0)
    # Searching afterwards gives the same answers.
    assert [r.pk for r in whoosh_index.search("占道经营", Article)] == [statutes["articles"]["stall"].pk]


def test_autocomplete_partial_words(search_index, statutes):
    results = search_index.autocomplete("行政处", Law)
    assert [r.pk for r in results] == [statutes["laws"]["chufa"].pk]
    assert list(search_index.autocomplete("大气污", Law))[0].pk == statutes["laws"]["old"].pk


def test_autocomplete_takes_the_queries_the_admin_page_search_sends(search_index, statutes):
    """Wagtail's page search parses its box (quotes, operators) into Phrase, And and Not
    queries: autocomplete answers each instead of failing."""
    from modelsearch.query import And, Not
    from wagtail.search.utils import parse_query_string

    chufa = statutes["laws"]["chufa"].pk
    assert [r.pk for r in search_index.autocomplete(Phrase("行政处"), Law)] == [chufa]
    both = And([PlainText("行政处"), PlainText("中华人民")])
    assert [r.pk for r in search_index.autocomplete(both, Law)] == [chufa]
    assert chufa not in [r.pk for r in search_index.autocomplete(Not(PlainText("行政处")), Law)]
    _filters, query = parse_query_string("'\"\\", operator="and")
    list(search_index.autocomplete(query, Law))  # odd input answers (no error)


def test_a_facet_over_a_filter_the_index_cannot_take_counts_the_results(search_index, statutes):
    """A filter the index cannot take (a subquery here; Wagtail's admin page search filters
    by parent pointers) is applied in the database; a facet over such a plain-text search
    counts what the search returns."""
    from collections import Counter

    queryset = Law.objects.filter(status__in=Law.objects.values("status"))
    results = search_index.search("行政处罚", queryset)
    found = list(results)
    assert found
    assert dict(results.facet("status")) == dict(Counter(law.status for law in found))


def test_update_and_delete_follow_the_database(search_index, statutes):
    art = statutes["articles"]["bike"]
    art.text = "互联网租赁自行车应当规范停放。"
    art.save()
    search_index.add(art)
    assert list(search_index.search("共享单车", Article)) == []
    assert [r.pk for r in search_index.search("自行车", Article)] == [art.pk]
    search_index.delete(art)
    assert search_index.search("自行车", Article).count() == 0


def test_reset_and_rebuild_command(search_index, statutes):
    from io import StringIO

    from django.core.management import call_command

    search_index.reset_indexes()
    assert search_index.search("罚款", Article).count() == 0
    call_command("update_index", stdout=StringIO())
    assert search_index.search("罚款", Article).count() >= 3
