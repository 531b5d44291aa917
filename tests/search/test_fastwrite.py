"""The rebuild's writer: the same postings, weights, lengths and stored fields as
Whoosh's own SegmentWriter, in one process and in worker processes; articles make
catch-all documents without per-field copies."""
import pytest
from whoosh import index as wix
from whoosh.writing import SegmentWriter

from search.backends import mapping
from search.backends.fastwrite import FastMpWriter, FastSegmentWriter

pytestmark = pytest.mark.django_db


def _documents(statutes):
    from casebank.models import Article, Law

    docs = [mapping.build_document(Law, law) for law in statutes["laws"].values()]
    docs += [mapping.build_document(Article, a) for a in Article.get_indexed_objects().order_by("pk")]
    # A document of every field kind: text copies, autocomplete n-grams, numbers, keywords.
    docs.append({"id": "x:1", "pk": "1", "pkn": 1, "ct": "x", "t_title": "占道经营 第三十三条 PM2.5",
                 "a_title": "占道经营", "fi_year": 2024, "fs_kind": "甲", "fm_tags": "1,2",
                 "all": "3\x1f占道经营罚款\x1e1\x1f责令改正", "pairs": "3\x1f占道经营罚款\x1e1\x1f责令改正",
                 "fnull": "district"})
    docs.append({"id": "x:2", "pk": "2", "pkn": 2, "ct": "x", "all": "占道经营", "pairs": "占道经营"})
    return docs


def _build(path, writer_class, docs, **kwargs):
    path.mkdir()
    ix = wix.create_in(str(path), mapping.make_schema(), indexname="MAIN")
    writer = writer_class(ix, **kwargs)
    for doc in docs:
        writer.add_document(**doc)
    writer.commit()
    return wix.open_dir(str(path), indexname="MAIN")


def _content(ix):
    """Everything a search reads, by document id: postings with weights and field lengths,
    term statistics, stored fields."""
    with ix.searcher() as searcher:
        ids = {d: searcher.stored_fields(d)["id"] for d in range(searcher.doc_count_all())}
        postings, stats = {}, {}
        reader = searcher.reader()
        for fieldname, btext in reader.all_terms():
            matcher = reader.postings(fieldname, btext)
            items = []
            while matcher.is_active():
                doc = matcher.id()
                items.append((ids[doc], round(matcher.weight(), 5), matcher.value(),
                              reader.doc_field_length(doc, fieldname)))
                matcher.next()
            postings[(fieldname, btext)] = sorted(items)
            info = reader.term_info(fieldname, btext)
            stats[(fieldname, btext)] = (round(info.weight(), 4), info.doc_frequency(), round(info.max_weight(), 4))
        stored = sorted((searcher.stored_fields(d)["id"], sorted(searcher.stored_fields(d).items())) for d in ids)
        lengths = {f: reader.field_length(f) for f in reader.indexed_field_names()}
    return postings, stats, stored, lengths


def test_fast_writer_writes_what_whoosh_writes(tmp_path, statutes):
    docs = _documents(statutes)
    expected = _content(_build(tmp_path / "whoosh", SegmentWriter, docs))
    assert expected[0]  # the comparison compares something
    assert _content(_build(tmp_path / "fast", FastSegmentWriter, docs)) == expected
    parallel = _build(tmp_path / "parallel", FastMpWriter, docs * 1, procs=2, batchsize=3)
    assert _content(parallel) == expected


def test_articles_have_no_per_field_copies(statutes):
    from casebank.models import Article, Law

    article = Article.get_indexed_objects().get(pk=statutes["articles"]["first_minor"].pk)
    doc = mapping.build_document(Article, article)
    assert not [name for name in doc if name.startswith("t_")]
    assert "不予行政处罚" in doc["all"] and "行政处罚法" in doc["all"]
    law_doc = mapping.build_document(Law, statutes["laws"]["chufa"])
    assert law_doc["t_full_name"] == "中华人民共和国行政处罚法"


def test_field_search_on_articles_searches_the_whole_document(whoosh_index, statutes):
    from casebank.models import Article

    found = [a.pk for a in whoosh_index.search("不予行政处罚", Article, fields=["text"])]
    assert statutes["articles"]["first_minor"].pk in found
