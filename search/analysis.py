"""Chinese text analysis for the search index: jieba segmentation (precise mode
plus the dictionary sub-words of search mode), a city-management domain
dictionary, statute-reference normalisation (第三十三条 → 第33条), mixed
Latin/number text (PM2.5, 1234ABC) and query-time synonyms.

Positions: every word of jieba's precise segmentation takes the next position;
the sub-words that search mode adds for a long word (中华人民共和国 → 中华, 人民,
共和国 …) share the position of their word. Neighbouring words (by position)
make the word pairs of the index's "pairs" field. Queries are analysed in
precise mode, so a phrase's pairs are the document's pairs while single words
still find the sub-words.
"""
import logging
import re
import threading
import time
import unicodedata
from functools import lru_cache
from pathlib import Path

import jieba
from whoosh.analysis import NgramFilter, Token, Tokenizer

from casebank.numerals import parse_number

logger = logging.getLogger("academy.search")
jieba.setLogLevel(logging.WARNING)

DICTIONARY_FILE = Path(__file__).resolve().parent / "dictionary" / "domain.txt"

#: Words that carry no meaning on their own (dropped from index and queries).
STOP_WORDS = frozenset(
    """的 了 和 与 及 或 是 在 之 其 等 被 把 由 将 并 而 且 于 以 就 都 也 这 那 有 中 者
    a an and are as at be by for from in is it of on or that the this to was were with""".split()
)

#: 第三十三条, 第33条, 第 33 条, 第一百零一款 … (article, paragraph, item, chapter, section, part).
ARTICLE_REF = re.compile(r"第\s*([0-9０-９零〇一二两三四五六七八九十百千]+)\s*([条款项章节编])")
_WORD_CHARS = re.compile(r"[\w\u4e00-\u9fff]", re.UNICODE)
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def normalise(text):
    """Full-width to half-width, lower case (NFKC keeps CJK characters as they are)."""
    return unicodedata.normalize("NFKC", text).lower()


# --- dictionary -----------------------------------------------------------------

_dict_lock = threading.Lock()
_dict_state = {"file": False, "db_loaded_at": 0.0}
#: How long a process trusts its copy of the reviewers' terms before re-reading them.
DB_TERMS_TTL = 30.0


def _vocabulary_models():
    """(DomainTerm, SynonymGroup), imported on first use: this module is also imported where
    Django is not set up (a Whoosh index's pickled schema names ChineseTokenizer, so opening
    the index, or an indexing worker process unpickling its task, imports this module), and
    search.models can only be imported once the app registry is ready."""
    # deferred: the app registry may not be ready when this module is imported (see above).
    from search.models import DomainTerm, SynonymGroup

    return DomainTerm, SynonymGroup


def _load_file_dictionary():
    if _dict_state["file"]:
        return
    with _dict_lock:
        if _dict_state["file"]:
            return
        jieba.initialize()
        if DICTIONARY_FILE.exists():
            jieba.load_userdict(str(DICTIONARY_FILE))
        _dict_state["file"] = True


def add_words(words):
    """Teach the segmenter words (domain terms, synonyms) so they stay whole."""
    _load_file_dictionary()
    for word in words:
        word = normalise(word.strip())
        if len(word) > 1 and _CJK.search(word) and jieba.dt.FREQ.get(word, 0) == 0:
            jieba.add_word(word, freq=max(jieba.suggest_freq(word), 20000))
    _split_word.cache_clear()
    _segment_short.cache_clear()
    _recent.clear()
    query_tokens.cache_clear()


def load_db_terms(force=False):
    """Add the legal reviewers' domain terms and synonym words to the segmenter.

    Called lazily before analysis; re-read at most every DB_TERMS_TTL seconds (and
    at once in the process that saved a change, through ``invalidate``)."""
    now = time.monotonic()
    if not force and now - _dict_state["db_loaded_at"] < DB_TERMS_TTL:
        return
    _dict_state["db_loaded_at"] = now
    try:
        DomainTerm, SynonymGroup = _vocabulary_models()
        words = list(DomainTerm.objects.values_list("term", flat=True))
        for group in SynonymGroup.objects.filter(active=True):
            words.extend(group.term_list())
    except Exception:  # noqa: BLE001 - tables may not exist yet (migrate, tests)
        logger.debug("search: domain terms not loaded", exc_info=True)
        _dict_state["db_loaded_at"] = 0.0
        return
    add_words(words)


def warm_up():
    """Load the dictionaries now (before forking indexing processes)."""
    _load_file_dictionary()
    load_db_terms()


def invalidate():
    """Forget cached terms and synonyms (called when a reviewer saves them)."""
    _dict_state["db_loaded_at"] = 0.0
    _synonyms_state["loaded_at"] = 0.0
    query_tokens.cache_clear()


# --- segmentation -----------------------------------------------------------------

@lru_cache(maxsize=20000)
def _split_word(word):
    """Dictionary sub-words of a long CJK word, as jieba's search mode finds them."""
    subs = []
    freq = jieba.dt.FREQ
    n = len(word)
    if n > 2:
        for size in (2, 3):
            if size >= n:
                break
            for i in range(n - size + 1):
                gram = word[i:i + size]
                if freq.get(gram):
                    subs.append(gram)
    return tuple(subs)


def _pieces(text):
    """Split normalised text into (kind, text, start) pieces: article references
    are kept whole and normalised, the rest is left to jieba."""
    pos = 0
    for m in ARTICLE_REF.finditer(text):
        if m.start() > pos:
            yield "text", text[pos:m.start()], pos
        number = parse_number(m.group(1))
        if number is None:
            yield "text", m.group(0), m.start()
        else:
            yield "ref", f"第{number}{m.group(2)}", m.start()
        pos = m.end()
    if pos < len(text):
        yield "text", text[pos:], pos


_RUNS = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+|[^\u3400-\u4dbf\u4e00-\u9fff]+")
_LATIN = re.compile(r"[0-9a-z]+(?:[.\-_+#'][0-9a-z]+)*")


def _tokenize(piece):
    """CJK runs go to jieba's precise mode without the HMM guesser (segmentation
    then depends on the dictionary only, so a word is cut the same way in
    documents and queries); other runs are split into Latin/number words that
    keep inner dots and hyphens (pm2.5, poseidon-1234abc, 1.11)."""
    for run in _RUNS.finditer(piece):
        text = run.group()
        offset = run.start()
        if _CJK.match(text):
            start = offset
            for word in jieba.cut(text, HMM=False):
                end = start + len(word)
                yield word, start, end
                start = end
        else:
            for m in _LATIN.finditer(text):
                yield m.group(), offset + m.start(), offset + m.end()


@lru_cache(maxsize=50000)
def _segment_short(text, subwords):
    return tuple(_segment(text, subwords))


#: The last long texts segmented: a document's text is analysed for two fields
#: in a row (words, then word pairs), and jieba runs once for both.
_recent = {}
_RECENT_SIZE = 4


def segment(text, subwords=True):
    """Yield (word, position, startchar, endchar, is_subword) for the text.
    Short texts (titles, names repeated across many documents) are cached."""
    if len(text) <= 64:
        return _segment_short(text, subwords)
    tokens = _recent.get(text)
    if tokens is None:
        tokens = tuple(_segment(text, True))
        if len(_recent) >= _RECENT_SIZE:
            _recent.clear()
        _recent[text] = tokens
    if subwords:
        return tokens
    return [t for t in tokens if not t[4]]


def _segment(text, subwords=True):
    """Yield (word, position, startchar, endchar, is_subword) for the text."""
    _load_file_dictionary()
    text = normalise(text)
    position = 0
    for kind, piece, offset in _pieces(text):
        if kind == "ref":
            yield piece, position, offset, offset + len(piece), False
            position += 1
            continue
        for word, start, end in _tokenize(piece):
            if not _WORD_CHARS.search(word):
                continue
            word = word.strip()
            if not word or word in STOP_WORDS:
                continue
            # jieba keeps "poseidon-1234abc" apart but "a-b" style runs may
            # arrive joined with '-' or '_': index the parts as words too.
            if subwords and _CJK.search(word):
                for sub in _split_word(word):
                    yield sub, position, offset + start, offset + end, True
            yield word, position, offset + start, offset + end, False
            if subwords and not _CJK.search(word) and ("." in word or "-" in word or "_" in word):
                for part in re.split(r"[.\-_]+", word):
                    if part and part != word and part not in STOP_WORDS:
                        yield part, position, offset + start, offset + end, True
            position += 1


class ChineseTokenizer(Tokenizer):
    """Whoosh tokenizer over ``segment``; stateless so that it pickles into the
    index's schema."""

    def __init__(self, subwords=True):
        self.subwords = subwords

    def __eq__(self, other):
        return type(self) is type(other) and self.subwords == other.subwords

    def _terms(self, value):
        """(text, position, startchar, endchar, boost) of each term of the value."""
        return _weighted(value, self.subwords)

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            token.original = token.text = value
            token.boost = 1.0
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar, token.endchar = start_char, start_char + len(value)
            yield token
            return
        for word, pos, startchar, endchar, boost in self._terms(value):
            token.text = word
            token.boost = boost
            token.stopped = False
            if keeporiginal:
                token.original = word
            if positions:
                token.pos = start_pos + pos
            if chars:
                token.startchar = start_char + startchar
                token.endchar = start_char + endchar
            yield token


#: Separators of a weighted value: "<boost>\x1f<text>\x1e<boost>\x1f<text>…"
CHUNK_SEP = "\x1e"
BOOST_SEP = "\x1f"
#: Position gap between chunks, so that phrases never span two fields.
CHUNK_GAP = 100


def weighted_value(chunks):
    """Encode [(text, boost)] for the catch-all field: every token of a chunk
    carries its field's boost as its weight (BM25F's term frequency)."""
    out = []
    for text, boost in chunks:
        text = (text or "").replace(CHUNK_SEP, " ").replace(BOOST_SEP, " ")
        if text.strip():
            out.append(f"{float(boost):g}{BOOST_SEP}{text}")
    return CHUNK_SEP.join(out)


def _weighted(value, subwords):
    if BOOST_SEP not in value:
        for word, pos, startchar, endchar, _sub in segment(value, subwords=subwords):
            yield word, pos, startchar, endchar, 1.0
        return
    base_pos = base_char = 0
    for chunk in value.split(CHUNK_SEP):
        boost_text, _sep, text = chunk.partition(BOOST_SEP)
        try:
            boost = float(boost_text)
        except ValueError:
            boost, text = 1.0, chunk
        last = -1
        for word, pos, startchar, endchar, _sub in segment(text, subwords=subwords):
            last = pos
            yield word, base_pos + pos, base_char + startchar, base_char + endchar, boost
        base_pos += last + 1 + CHUNK_GAP
        base_char += len(chunk) + 1


class WordPairTokenizer(ChineseTokenizer):
    """Pairs of neighbouring words ("占道 经营"): a phrase of n words is a
    document containing its n-1 pairs, found without word positions. Pairs
    never span two fields of the catch-all value."""

    subwords = False

    def __init__(self):
        super().__init__(subwords=False)

    def _terms(self, value):
        previous = None
        for word, pos, startchar, endchar, boost in _weighted(value, False):
            if previous is not None and pos == previous[1] + 1:
                yield f"{previous[0]} {word}", previous[1], previous[2], endchar, boost
            previous = (word, pos, startchar)


def word_pairs(words):
    """The pair terms of a sequence of query words."""
    return [f"{a} {b}" for a, b in zip(words, words[1:])]


def text_analyzer():
    return ChineseTokenizer(subwords=True)


def pair_analyzer():
    return WordPairTokenizer()


def autocomplete_analyzer():
    """Edge n-grams of every word: 占道经营 → 占, 占道, 占道经, 占道经营."""
    return ChineseTokenizer(subwords=True) | NgramFilter(minsize=1, maxsize=16, at="start")


# --- queries ------------------------------------------------------------------------

@lru_cache(maxsize=4096)
def query_tokens(text):
    """Words of a query in precise mode: a tuple of (word, sub-words) where
    sub-words are the dictionary 2-grams a differently segmented document
    would still contain (used as an alternative, all of them required)."""
    load_db_terms()
    tokens = []
    for word, _pos, _s, _e, is_sub in segment(text, subwords=False):
        if is_sub:
            continue
        subs = ()
        if len(word) >= 3 and _CJK.search(word):
            subs = tuple(s for s in _split_word(word) if len(s) == 2)
            if len(subs) < 2:
                subs = ()
        tokens.append((word, subs))
    return tuple(tokens)


_synonyms_state = {"loaded_at": 0.0, "map": {}}
SYNONYMS_TTL = 30.0


def synonyms_map():
    """word → set of synonyms, from the active SynonymGroup snippets (cached)."""
    now = time.monotonic()
    if now - _synonyms_state["loaded_at"] < SYNONYMS_TTL:
        return _synonyms_state["map"]
    mapping = {}
    try:
        SynonymGroup = _vocabulary_models()[1]
        for group in SynonymGroup.objects.filter(active=True):
            terms = [normalise(t) for t in group.term_list()]
            for term in terms:
                mapping.setdefault(term, set()).update(t for t in terms if t != term)
    except Exception:  # noqa: BLE001 - tables may not exist yet
        logger.debug("search: synonyms not loaded", exc_info=True)
        return {}
    _synonyms_state.update(loaded_at=now, map=mapping)
    return mapping


def synonyms_for(word):
    return sorted(synonyms_map().get(word, ()))


def highlight_terms(text):
    """All words a query may match in a document (words, sub-words, synonyms):
    used to mark matches in snippets."""
    words = set()
    for word, subs in query_tokens(text):
        words.add(word)
        words.update(subs)
        words.update(synonyms_for(word))
    return words
