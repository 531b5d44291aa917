"""search.backends.postings: posting lists read into memory must give exactly
what Whoosh gives: the same documents and the same BM25F scores."""
import random

import pytest
from whoosh import index as wix
from whoosh import query as wq
from whoosh.scoring import BM25F

from search import analysis
from search.backends import mapping
from search.backends.postings import Postings, read_postings, segments

WORDS = ["占道经营", "流动摊贩", "罚款", "责令改正", "城市管理", "门前三包", "违法建设", "户外广告",
         "共享单车", "垃圾分类", "人民政府", "应当", "规定", "处罚", "警告", "没收"]


def _text(rng):
    return "，".join(rng.choice(WORDS) for _ in range(rng.randint(3, 40))) + "。"


@pytest.fixture(scope="module")
def searcher(tmp_path_factory):
    """An index of 900 documents in three segments, some documents deleted, with
    boosted chunks as the backend writes them."""
    segments.clear()
    path = tmp_path_factory.mktemp("postings")
    ix = wix.create_in(str(path), mapping.make_schema())
    rng = random.Random(11)
    n = 0
    for batch in (600, 200, 100):
        writer = ix.writer()
        for _ in range(batch):
            chunks = [(_text(rng), 2.0), (_text(rng), 1.0)]
            value = analysis.weighted_value(chunks)
            writer.add_document(id=f"x:{n}", pk=str(n), pkn=n, ct="casebank.article",
                                all=value, pairs=value, fs_kind=rng.choice(["a", "b"]))
            n += 1
        writer.commit(merge=False)
    writer = ix.writer()
    for k in range(0, n, 37):
        writer.delete_by_term("id", f"x:{k}")
    writer.commit(merge=False)
    s = ix.searcher(weighting=BM25F())
    assert len(s.reader().leaf_readers()) == 3 and s.reader().has_deletions()
    yield s
    s.close()


QUERIES = [
    wq.Term("all", "罚款"),
    wq.Term("all", "应当", boost=2.5),
    wq.And([wq.Term("all", "占道经营"), wq.Term("all", "罚款")]),
    wq.Or([wq.Term("all", "警告"), wq.Term("all", "没收", boost=0.8), wq.Term("all", "不存在的词")]),
    wq.And([wq.Or([wq.Term("all", "流动摊贩"), wq.Term("all", "占道经营", boost=0.8)]),
            wq.Or([wq.Term("all", "城市管理"), wq.And([wq.Term("all", "城市"), wq.Term("all", "管理")], boost=0.6)]),
            wq.ConstantScoreQuery(wq.Term("ct", "casebank.article"), 0.0)], boost=1.5),
    wq.Or([wq.And([wq.Term("all", "违法建设"), wq.Term("all", "处罚")]),
           wq.And([wq.Term("pairs", "违法建设 处罚"), wq.Term("pairs", "处罚 警告")], boost=2.0)]),
    wq.AndNot(wq.Term("all", "规定"), wq.Term("all", "警告")),
    wq.And([wq.Term("all", "规定"), wq.Term("fs_kind", "a")]),
]


@pytest.mark.parametrize("q", QUERIES, ids=[repr(q)[:60] for q in QUERIES])
def test_documents_and_scores_equal_whoosh(searcher, q):
    expected = {docnum: score for docnum, score in searcher.search(q, limit=None).items()}
    postings = Postings(searcher)
    assert postings.scorable(q)
    docs = postings.docs(q)
    assert set(docs) == set(expected)
    scores = postings.scores(q, docs)
    assert expected, "the query must match something for the comparison to mean anything"
    # Whoosh's ConstantScoreQuery(q, 0.0) still adds the child's weight (1.0 here)
    # to every document it wraps: the same constant for all, so the order is
    # unaffected. Postings adds nothing for it.
    constant = 1.5 if "ConstantScoreQuery" in repr(q) else 0.0
    for docnum, score in expected.items():
        assert scores.get(docnum, 0.0) + constant == pytest.approx(score, rel=1e-9, abs=1e-12), docnum


def test_deleted_documents_never_match(searcher):
    deleted = {d for d in range(searcher.reader().doc_count_all()) if searcher.reader().is_deleted(d)}
    assert deleted
    postings = Postings(searcher)
    every_word = set()
    for word in WORDS:
        every_word |= postings.term_set("all", word)
    assert every_word and not (every_word & deleted)


def test_read_postings_equals_whoosh_matcher(searcher):
    reader = searcher.reader()
    for leaf, _offset in reader.leaf_readers():
        btext = b"\xe5\xba\x94\xe5\xbd\x93"  # 应当: many blocks of postings
        ids, weights = read_postings(leaf, "all", btext)
        expected = []
        m = leaf.postings("all", btext)
        m = getattr(m, "child", m)  # past the deletions filter: all postings
        while m.is_active():
            expected.append((m.id(), m.weight()))
            m.next()
        assert list(zip(ids, weights)) == expected
        assert len(ids) > 128 or leaf.doc_count_all() < 300
        # Boosted chunks: weights are not plain counts.
        assert any(w != int(w) or w > 2 for w in weights)


def test_unscorable_queries_are_left_to_whoosh(searcher):
    assert not Postings.scorable(wq.Prefix("all", "占"))
    assert not Postings.scorable(wq.And([wq.Term("all", "罚款"), wq.FuzzyTerm("all", "penalty")]))
    # …but they still match, through Whoosh.
    assert Postings(searcher).docs(wq.Prefix("all", "占道")) == set(
        searcher.docs_for_query(wq.Prefix("all", "占道")))


def test_word_pairs_follow_the_words_without_crossing_fields():
    value = analysis.weighted_value([("流动摊贩占道经营", 2.0), ("罚款警告", 1.0)])
    pairs = [t.text for t in analysis.pair_analyzer()(value)]
    words = [w for w, _p, _s, _e, sub in analysis.segment("流动摊贩占道经营", subwords=True) if not sub]
    assert pairs[0] == f"{words[0]} {words[1]}"
    assert not any(p.startswith(words[-1] + " ") for p in pairs), "no pair spans two fields"
    assert analysis.word_pairs(["占道经营", "罚款", "警告"]) == ["占道经营 罚款", "罚款 警告"]


def test_an_index_of_an_older_format_still_takes_updates(tmp_path):
    """An index built before the "pairs" field existed keeps following publishes
    (without that field) until update_index rebuilds it."""
    from whoosh import fields as wf

    from search.backends.whoosh import fit_to_schema

    old = mapping.make_schema()
    old.remove("pairs")
    ix = wix.create_in(str(tmp_path), old)
    doc = {"id": "x:1", "pk": "1", "pkn": 1, "ct": "casebank.article", "all": "占道经营", "pairs": "占道经营"}
    writer = ix.writer()
    writer.update_document(**fit_to_schema(writer.schema, doc))
    writer.commit()
    with ix.searcher() as s:
        assert list(s.documents()) == [{"id": "x:1", "pk": "1"}]
    assert fit_to_schema(mapping.make_schema(), doc) is doc
    assert isinstance(mapping.make_schema()["pairs"], wf.TEXT)


@pytest.mark.parametrize("want", [1, 5, 10, 40, None])
def test_partial_ranking_equals_brute_force(searcher, want):
    """The MaxScore shortcut of BestMatch's partial tier returns exactly the top
    documents (and order) of scoring every document by the IDF of its words."""
    import math

    from search.backends.whoosh import WhooshSearchResults

    postings = Postings(searcher)

    class Results:
        def _docset(self, s, q):
            return postings.docs(q)

    rng = random.Random(want or 0)
    total = searcher.doc_count_all()
    for _ in range(15):
        words = rng.sample(WORDS, rng.randint(2, 6))
        word_queries = [wq.Term("all", w) for w in words]
        allowed = set(range(total)) - {d for d in range(total) if d % 7 == 0}
        excluded = {d for d in range(total) if d % 11 == 0}
        got = WhooshSearchResults._partial_ranking(Results(), searcher, word_queries, allowed, excluded, want)
        scores = {}
        for w in words:
            docs = postings.term_set("all", w)
            weight = math.log(1.0 + total / (len(docs) + 1.0))
            for d in docs:
                if d in allowed and d not in excluded:
                    scores[d] = scores.get(d, 0.0) + weight
        expected = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
        if want is not None:
            expected = expected[:want]
        assert [d for d, _s in got] == [d for d, _s in expected]
        assert [s for _d, s in got] == pytest.approx([s for _d, s in expected])
