"""Chinese analysis: segmentation, the domain dictionary, statute references,
mixed Latin/number text, stop words and synonyms."""
import pytest

from search import analysis
from search.models import DomainTerm, SynonymGroup


def words(text):
    return [w for w, _p, _s, _e, sub in analysis.segment(text) if not sub]


def all_tokens(text):
    return {w for w, *_rest in analysis.segment(text)}


def test_domain_dictionary_keeps_city_management_terms_whole():
    """占道经营, 流动摊贩, 门前三包, 共享单车 stay single words (jieba alone splits them)."""
    for term in ("占道经营", "流动摊贩", "门前三包", "共享单车", "乱贴乱画", "违法建设", "垃圾分类"):
        assert term in words(f"关于{term}的规定"), term


def test_search_mode_adds_sub_words_at_the_same_position():
    """A long word also yields its dictionary sub-words, sharing its position."""
    tokens = list(analysis.segment("中华人民共和国行政处罚法"))
    by_word = {w: pos for w, pos, _s, _e, _sub in tokens}
    assert {"中华人民共和国", "人民", "共和国", "行政处罚法", "处罚"} <= set(by_word)
    assert by_word["人民"] == by_word["中华人民共和国"]
    assert by_word["处罚"] == by_word["行政处罚法"] == by_word["中华人民共和国"] + 1


@pytest.mark.parametrize("text", ["第三十三条", "第33条", "第 33 条", "第３３条"])
def test_statute_references_normalised(text):
    """Chinese and Arabic numerals, half and full width: one token 第33条."""
    assert "第33条" in words(f"依照{text}规定")


@pytest.mark.parametrize("text, token", [("第一百零一条", "第101条"), ("第十五款", "第15款"), ("第三千条", "第3000条")])
def test_chinese_numbers(text, token):
    """Article numbers are read by the project's one numeral parser (casebank.numerals)."""
    assert token in words(f"依照{text}规定")


def test_mixed_text_latin_and_numbers():
    """Latin words are lower-cased; PM2.5 stays whole and its parts are found too."""
    toks = all_tokens("PM2.5 超标，JavaScript 指南 Poseidon-1234ABC")
    assert {"pm2.5", "javascript", "poseidon", "1234abc"} <= toks
    assert "pm2" in toks


def test_stop_words_dropped():
    assert "的" not in words("城市的管理")
    assert "the" not in words("The Definitive Guide")


def test_query_tokens_offer_sub_words_for_long_words():
    tokens = dict(analysis.query_tokens("行政处罚法"))
    assert "行政处罚法" in tokens
    assert set(tokens["行政处罚法"]) >= {"行政", "处罚"}


@pytest.mark.django_db
def test_synonyms_from_snippets_apply_at_once():
    """A reviewer's synonym group is used by the next query (no restart, no re-index)."""
    analysis.invalidate()
    assert analysis.synonyms_for("摆摊") == []
    SynonymGroup.objects.create(name="流动摊贩", terms="摊贩、流动商贩，摆摊")
    assert set(analysis.synonyms_for("摆摊")) == {"摊贩", "流动商贩"}
    assert "摆摊" in analysis.highlight_terms("摊贩")
    SynonymGroup.objects.filter(name="流动摊贩").update(active=False)
    analysis.invalidate()
    assert analysis.synonyms_for("摆摊") == []


@pytest.mark.django_db
def test_domain_terms_from_snippets_reach_the_segmenter():
    DomainTerm.objects.create(term="渣土撒漏")
    analysis.load_db_terms(force=True)
    assert "渣土撒漏" in words("查处渣土撒漏行为")


def test_synonym_group_term_list():
    group = SynonymGroup(name="x", terms="违建, 违法建设\n违章建筑 违建")
    assert group.term_list() == ["违建", "违法建设", "违章建筑"]
