"""Statute citations in Chinese text: recognise, resolve, verify, link.

    find_citations(text, as_of=None) -> [Citation]
    check_text(text, as_of=None) -> [Problem]       (for publish checks)
    linkify_citations(html_or_text, as_of=None) -> SafeString

Forms recognised: 《中华人民共和国行政处罚法》第三十三条, 《行政处罚法》第33条,
行政处罚法第五十一条 (no title marks), 第三十三条第一款, 第四十二条第一款第（一）项,
lists (第六十四条、第六十八条 / 和 / 及), ranges (第三十五条至第三十八条), Chinese
numerals into the thousands, and a bare 第…条 after a named law (it refers to
the law named last). Each article named gives one Citation. A law named in
title marks without an article gives one Citation with ``article=None``.

``as_of`` is the date the text speaks for (a case's decision date). Without
it, a repealed law is reported as ``repealed`` (with its successor); with a
date on or after the repeal (or before the law took effect) it is
``not_in_force``. Nothing here raises on odd input.
"""
import datetime
import html as html_lib
import logging
import re
import threading
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .library import CHINA_PREFIX, Article, Law
from .numerals import parse_number

OK = "ok"
REPEALED = "repealed"
UNKNOWN_LAW = "unknown_law"
UNKNOWN_ARTICLE = "unknown_article"
NOT_IN_FORCE = "not_in_force"
STATUSES = (OK, REPEALED, UNKNOWN_LAW, UNKNOWN_ARTICLE, NOT_IN_FORCE)

#: Largest range expanded into single citations (第一条至第一千条 is a typo, not 1,000 citations).
MAX_RANGE = 200

# --- patterns ----------------------------------------------------------------

NUM = r"(?:[0-9０-９]+|[零〇一二两三四五六七八九十百千万]+)"
_RANGE_WORD = r"(?:至|到|～|~|—|－|-)"
ARTICLE_RE = (
    rf"第\s*(?P<a>{NUM})\s*"
    rf"(?:条(?:\s*{_RANGE_WORD}\s*第\s*(?P<b>{NUM})\s*条)?|{_RANGE_WORD}\s*第?\s*(?P<b2>{NUM})\s*条)"
    rf"(?:\s*之[一二三四五六七八九十])?"
    rf"(?:\s*第\s*(?P<para>{NUM})\s*款(?:\s*[、和及]\s*第\s*{NUM}\s*款)*)?"
    rf"(?:\s*第\s*[（(]?\s*(?P<item>{NUM})\s*[)）]?\s*项(?:\s*[、和及]\s*第\s*[（(]?\s*{NUM}\s*[)）]?\s*项)*)?"
)
TITLE_RE = r"《(?P<title>[^《》\n]{1,120})》"
#: Optional edition note between a law name and its article: （2021年修订）.
EDITION_RE = r"\s*(?:[（(][^（）()\n]{1,20}[)）])?\s*"
LAW_SUFFIXES = ("法典", "法", "条例", "规定", "办法", "细则", "规则", "决定", "解释", "修正案", "规章", "法规")
#: Words that end a plain-name candidate from the left (依据行政处罚法 → 行政处罚法).
_LEAD_WORDS = ("依据", "根据", "依照", "按照", "违反", "适用", "参照", "援引", "引用", "对照", "符合", "执行", "属于",
               "触犯", "遵守", "对于", "关于", "经过", "依", "按", "据", "，", "。")
_CONTEXT_WORDS = ("本法", "该法", "同法", "上述法", "前述法", "本条例", "该条例", "同条例", "本规定", "该规定",
                  "本办法", "该办法", "本决定", "本法典", "该法典", "上述法律", "前述法律", "上述条例")
_NOT_LAWS = {"依法", "执法", "违法", "合法", "方法", "司法", "立法", "守法", "非法", "办法", "规定", "条例", "决定",
             "做法", "说法", "想法", "看法", "用法", "处罚办法", "处理办法", "法", "法典", "细则", "规则"}


@dataclass
class Citation:
    """One article (or law) named in a text, resolved against the statute library."""

    text: str
    start: int
    end: int
    law_name: str | None = None  # full name of the resolved law, None when unknown
    article: int | None = None
    status: str = OK
    law: object = None  # casebank.models.Law
    article_obj: object = None  # casebank.models.Article
    successor: object = None  # casebank.models.Law
    message: str = ""
    cited_name: str = ""  # the name as written
    paragraph: int | None = None
    item: int | None = None
    #: The laws an ambiguous name could mean (status unknown_law, law None).
    candidates: list = field(default_factory=list)
    #: A local regulation of another region than the bureau's (region_note); the status stays as it is.
    note: str = ""

    def as_json(self):
        """The object check_citations prints."""
        return {"text": self.text, "law": self.law_name, "article": self.article, "status": self.status}

    @property
    def url(self):
        if self.article_obj is not None:
            return self.article_obj.get_absolute_url()
        if self.law is not None:
            return self.law.get_absolute_url()
        return ""


@dataclass
class Problem:
    """A citation that blocks publication (error) or needs acknowledgement (warning)."""

    citation: Citation
    severity: str  # "error" | "warning"
    code: str
    message: str

    @property
    def is_error(self):
        return self.severity == "error"


# --- the law directory (cached) --------------------------------------------------


@dataclass
class _Directory:
    names: dict = field(default_factory=dict)  # name → (tier, [[Law, …] per law, best version first])
    numbers: dict = field(default_factory=dict)  # law pk → frozenset of article numbers (loaded lazily)
    plain: object = None  # _NameScanner of the names cited without title marks
    built: float = 0.0
    fingerprint: int = 0


_lock = threading.Lock()
_cache = {"dir": None, "version": 0}
_version = [0]
CACHE_SECONDS = 60
#: Best version first when no date is given.
_STATUS_RANK = {Law.IN_FORCE: 0, Law.AMENDED: 1, Law.REPEALED: 2, Law.HISTORICAL: 3}
_LOCAL_LEVELS = (Law.LOCAL_REGULATION, Law.LOCAL_RULE)
_TITLE_MARKS = set("《》〈〉")
_TIER_REGIONLESS = 3
_SPACE_RE = re.compile(r"\s+")
_TRAILING_BRACKET_RE = re.compile(r"[（(][^（）()]*[)）]$")


def invalidate_cache(*args, **kwargs):
    """Called when laws change (signals in apps.py)."""
    _version[0] += 1


def _clean(name):
    return _SPACE_RE.sub("", name or "")


def _strip_bracket(name):
    """'城市道路管理条例（2019年修订）' → '城市道路管理条例'."""
    return _TRAILING_BRACKET_RE.sub("", name)


def _strip_china(name):
    return name[len(CHINA_PREFIX):] if name.startswith(CHINA_PREFIX) else name


def _normalise_name(name):
    """A cited name as the parser keeps it: no spaces, no trailing edition note."""
    return _strip_bracket(_clean(name))


def _start(law):
    """The day a version took effect (its version date when the effective date is unknown)."""
    return law.effective_date or law.version_date or datetime.date.min


def _is_local(law):
    return bool(law.local or law.province or law.city or law.level in _LOCAL_LEVELS)


def _law_keys(law):
    """(tier, name) pairs a law is cited by. Tier 0: full name, with or without 中华人民共和国; 1: the
    recorded short name, and a city's regulation with its province in front; 2: any of these without a
    trailing bracket (（试行）, （2019年修订）); 3 (_TIER_REGIONLESS): a local regulation's name without its
    province or city. A name is given to the laws of its best tier only, so 城市市容和环境卫生管理条例 is the
    State Council's regulation even though it is also 台州市城市市容和环境卫生管理条例 without 台州市."""
    full, short = _clean(law.full_name), _clean(law.short_name)
    official = [(0, full), (0, _strip_china(full)), (1, short), (1, _strip_china(short))]
    province, city = _clean(law.province), _clean(law.city)
    if _is_local(law) and province and city and full.startswith(city) and not full.startswith(province):
        official.append((1, province + full))
    yield from official
    for _tier, key in official:
        yield 2, _strip_bracket(key)
    if _is_local(law):
        for prefix in sorted({province + city, city, province, _clean(law.region)}, key=len, reverse=True):
            if prefix and full.startswith(prefix):
                rest = full[len(prefix):]
                for key in (rest, _strip_bracket(rest)):
                    if len(key) >= 4 and _looks_like_law(key):
                        yield _TIER_REGIONLESS, key
                break


class _NameScanner:
    """Finds known law names in plain text: at each position the longest name starting there, left to
    right, without overlaps (what a regex alternation of every name longest first would find).

    Names are kept in a trie of reversed names: a scan jumps to the characters a name can end with
    (例, 法, 定, …; a C-speed character-class search) and walks back from there, so its cost follows the
    length of the text, not the number of names (an alternation of ~3,000 names is ~10× slower)."""

    _END = ""

    def __init__(self, names):
        self.trie = {}
        for name in names:
            node = self.trie
            for ch in reversed(name):
                node = node.setdefault(ch, {})
            node[self._END] = True
        self.ends = re.compile("[" + "".join(re.escape(ch) for ch in sorted(self.trie)) + "]") if self.trie else None

    def find(self, text):
        """``[(start, end)]`` of the names in ``text``, in order."""
        if self.ends is None:
            return []
        found = []
        for m in self.ends.finditer(text):
            end = m.end()
            node = self.trie
            i = end
            while i > 0:
                node = node.get(text[i - 1])
                if node is None:
                    break
                i -= 1
                if self._END in node:
                    found.append((i, end))
        found.sort(key=lambda se: (se[0], -se[1]))
        chosen, last_end = [], -1
        for start, end in found:
            if start >= last_end:
                chosen.append((start, end))
                last_end = end
        return chosen


def _scanner(names, _memo={}):  # noqa: B006 — one scanner per set of names, kept across directory rebuilds
    """The scanner of plain (untitled) names; rebuilt only when the set of names changes."""
    scanner = _memo.get(names)
    if scanner is None:
        _memo.clear()
        scanner = _memo[names] = _NameScanner(names)
    return scanner


#: The Law fields the directory depends on; the cache is kept while they are unchanged.
_FINGERPRINT_FIELDS = ("pk", "source_id", "full_name", "short_name", "level", "status", "local", "region", "province",
                       "city", "effective_date", "version_date", "repeal_date", "successor_id")


def _directory():
    with _lock:
        d = _cache["dir"]
        if d is not None and _cache["version"] == _version[0] and time.monotonic() - d.built < CACHE_SECONDS:
            return d
        if d is not None and _cache["version"] == _version[0]:
            # Only the time is up: laws may have changed in another process. Compare a fingerprint of the
            # fields that matter (a fifth of the cost of loading 3,000 laws) and keep the names if unchanged.
            if d.fingerprint == hash(tuple(Law.objects.order_by("pk").values_list(*_FINGERPRINT_FIELDS))):
                d.numbers = {}  # articles are re-read lazily
                d.built = time.monotonic()
                return d
        d = _Directory()
        # Versions of one law: the rows sharing full name and region (Law.versions()).
        groups = {}
        laws = list(Law.objects.select_related("successor").order_by("pk"))
        d.fingerprint = hash(tuple(tuple(getattr(law, f) for f in _FINGERPRINT_FIELDS) for law in laws))
        for law in laws:
            groups.setdefault((law.full_name.strip(), law.region or ""), []).append(law)
        tiers = {}  # name → {law identity: best tier}
        for ident, versions in groups.items():
            versions.sort(key=lambda lw: (_STATUS_RANK.get(lw.status, 9), -_start(lw).toordinal()))
            for law in versions:
                for tier, key in _law_keys(law):
                    if key:
                        seen = tiers.setdefault(key, {})
                        seen[ident] = min(tier, seen.get(ident, tier))
        for key, seen in tiers.items():
            top = min(seen.values())
            d.names[key] = (top, [groups[ident] for ident, tier in seen.items() if tier == top])
        d.plain = _scanner(frozenset(n for n in d.names if len(n) >= 2 and not _TITLE_MARKS & set(n)))
        d.built = time.monotonic()
        _cache["dir"], _cache["version"] = d, _version[0]
        return d


def _pick_version(versions, as_of):
    """The version in force on ``as_of``: the latest one that had taken effect by then; the first one
    when the date is before every version (the citation is then not in force); without a date, the
    best version (in force first)."""
    if as_of is None or len(versions) == 1:
        return versions[0]
    started = [v for v in versions if _start(v) <= as_of]
    if not started:
        return min(versions, key=_start)
    return max(started, key=lambda v: (_start(v), -_STATUS_RANK.get(v.status, 9)))


def _query_keys(name):
    name = _clean(name)
    keys = [name, _strip_bracket(name), _strip_china(name), _strip_china(_strip_bracket(name))]
    return list(dict.fromkeys(k for k in keys if k))


def lookup_law_name(name, as_of=None):
    """``(law, candidates)`` for a cited name: the Law (its version in force on ``as_of``) and ``[]``
    when the name means one law; ``(None, [Law, …])`` when it could mean several (the bureau's own
    region first); ``(None, [])`` when the library has no such name.

    A local regulation cited without its province or city (市容和环境卫生管理条例) is resolved only when
    it is the one regulation of that name in the bureau's own region (ACADEMY_PROVINCE / ACADEMY_CITY);
    any other match is a guess about which region is meant, so it is listed as a candidate instead."""
    d = _directory()
    entry = None
    for key in _query_keys(name):
        entry = d.names.get(key)
        if entry:
            break
    if not entry:
        return None, []
    tier, groups = entry
    laws = [_pick_version(g, as_of) for g in groups]
    if len(laws) == 1 and (tier < _TIER_REGIONLESS or _home_rank(laws[0]) in (1, 2)):
        return laws[0], []
    return None, sorted(laws, key=lambda lw: (_home_rank(lw), lw.full_name))


def resolve_law_name(name, as_of=None):
    """The Law a name refers to (the version in force on ``as_of``), or None when it is unknown or
    could mean more than one law."""
    return lookup_law_name(name, as_of)[0]


def _home():
    """The bureau's (province, city), from settings ACADEMY_PROVINCE and ACADEMY_CITY."""
    province = getattr(settings, "ACADEMY_PROVINCE", "") or ""
    city = getattr(settings, "ACADEMY_CITY", "") or ""
    return province.strip(), city.strip()


def _home_rank(law):
    """0 national; 1 the bureau's city; 2 its province's own; 3 another city of its province; 4 elsewhere."""
    province, city = _home()
    if not _is_local(law):
        return 0
    if province and law.province == province:
        if not law.city:
            return 2
        return 1 if city and law.city == city else 3
    return 4


def region_note(law):
    """A note when ``law`` is a local regulation of another province or city than the bureau's
    (settings ACADEMY_PROVINCE / ACADEMY_CITY); "" otherwise."""
    if law is None or not _is_local(law):
        return ""
    province, city = _home()
    other_province = bool(province and law.province and law.province != province)
    other_city = bool(city and law.city and law.city != city)
    if not (other_province or other_city):
        return ""
    return _("《%(law)s》是%(region)s的%(level)s，本局所在地为%(home)s，请确认其适用范围。") % {
        "law": law.full_name, "region": (law.province or "") + (law.city or ""),
        "level": law.get_level_display() if law.level else _("地方性法规"), "home": province + city}


def _looks_like_law(name):
    return name.endswith(LAW_SUFFIXES) and name not in _NOT_LAWS


def _strip_plain_candidate(s):
    """'当事人违反城市管理条例' → '城市管理条例'; None when it is a context word (本法)."""
    best = s
    cut = -1
    for word in _LEAD_WORDS:
        i = best.rfind(word)
        if i >= 0 and len(best) - (i + len(word)) >= 2:
            cut = max(cut, i + len(word))
    if cut > 0:
        best = best[cut:]
    if "的" in best and not best.endswith("决定"):
        best = best.rsplit("的", 1)[1]
    best = best.lstrip("了即由按依据对向在是为和及与或")
    for ctx in _CONTEXT_WORDS:
        if best.endswith(ctx):
            return None
    return best


# --- parsing --------------------------------------------------------------------


_article_re = re.compile(ARTICLE_RE)
_title_re = re.compile(TITLE_RE)
_plain_unknown_re = re.compile(
    rf"[\u4e00-\u9fff]{{2,40}}?(?:法典|法|条例|规定|办法|细则|规则|决定)(?=\s*第\s*{NUM}\s*(?:条|{_RANGE_WORD}))")
_edition_re = re.compile(EDITION_RE)
#: Last characters of a place name (浙江省, 宁波市, 鄞州区) that, right before a known name, make it
#: part of a longer local name; how far back such a name is looked for.
_REGION_ENDS = frozenset("省市区县州盟旗")
_REGION_REACH = 12


@dataclass
class _Mention:
    start: int
    end: int
    name: str
    law: object
    titled: bool
    candidates: list = field(default_factory=list)


def _to_date(as_of):
    if as_of is None or isinstance(as_of, datetime.date) and not isinstance(as_of, datetime.datetime):
        return as_of
    if isinstance(as_of, datetime.datetime):
        return as_of.date()
    try:
        return datetime.date.fromisoformat(str(as_of)[:10])
    except ValueError:
        return None


def _law_mentions(text, d, as_of):
    """Law names in the text: title-marked ones, known plain names, unknown plain names before 第…条."""
    mentions = []
    taken = []

    def free(s, e):
        return all(e <= ts or s >= te for ts, te in taken)

    def add(start, end, name, lookup_name, titled):
        law, candidates = lookup_law_name(lookup_name, as_of)
        mentions.append(_Mention(start, end, name, law, titled, candidates))
        taken.append((start, end))

    for m in _title_re.finditer(text):
        add(m.start(), m.end(), _normalise_name(m.group("title")), m.group("title"), True)
    if d.plain is not None:
        for start, end in d.plain.find(text):
            if not free(start, end):
                continue
            name = text[start:end]
            if start >= 2 and text[start - 1] in _REGION_ENDS and "\u4e00" <= text[start - 2] <= "\u9fff":
                # 浙江省城市市容和环境卫生管理条例: a region's own regulation that the library lacks, not the
                # national one whose name it ends with.
                longer = _strip_plain_candidate(text[max(0, start - _REGION_REACH):start] + name)
                if longer and len(longer) > len(name):
                    start, name = end - len(longer), longer
            add(start, end, name, name, False)
    for m in _plain_unknown_re.finditer(text):
        if not free(m.start(), m.end()):
            continue
        name = _strip_plain_candidate(m.group(0))
        if not name or not _looks_like_law(name) or len(name) < 3:
            continue
        # A known name may hide at the end of the candidate (e.g. after an odd lead word).
        add(m.end() - len(name), m.end(), name, name, False)
    mentions.sort(key=lambda x: x.start)
    return mentions


def _article_numbers(d, law_pk):
    numbers = d.numbers.get(law_pk)
    if numbers is None:
        numbers = frozenset(Article.objects.filter(law_id=law_pk, number__isnull=False)
                            .values_list("number", flat=True))
        d.numbers[law_pk] = numbers
    return numbers


def find_citations(text, as_of=None, *, fetch_articles=True):
    """Every citation in ``text``, in order (see the module docstring).

    With ``fetch_articles=False`` the articles are verified against a cached
    index of article numbers and ``article_obj`` stays None (fast checks)."""
    try:
        return _find(text, as_of, fetch_articles)
    except Exception:  # noqa: BLE001 — a citation check must never break a page or a save
        logging.getLogger("academy").exception("citation parsing failed")
        return []


def _find(text, as_of, fetch_articles=True):
    if not text or not isinstance(text, str):
        return []
    as_of = _to_date(as_of)
    d = _directory()
    mentions = _law_mentions(text, d, as_of)
    # Article references outside law names.
    spans = [(mn.start, mn.end) for mn in mentions if mn.titled]
    refs = [m for m in _article_re.finditer(text)
            if all(m.end() <= s or m.start() >= e for s, e in spans)]

    raw = []  # (start, end, mention, [article numbers], paragraph, item)
    used_mentions = set()
    current = None
    last_mention_end = -1
    events = sorted([(mn.start, 0, mn) for mn in mentions] + [(r.start(), 1, r) for r in refs],
                    key=lambda x: (x[0], x[1]))
    for _pos, kind, obj in events:
        if kind == 0:
            if obj.law is None and not _looks_like_law(obj.name):
                # An unknown title such as 《处罚决定书》 names a law only when an article follows it.
                after = obj.end + len(_edition_re.match(text, obj.end).group(0))
                if not _article_re.match(text, after):
                    continue
            current = obj
            last_mention_end = obj.end
            continue
        if current is None:
            continue
        m = obj
        if "\n" in text[last_mention_end:m.start()]:
            # A law named in an earlier paragraph does not reach this one.
            current = None
            continue
        a = parse_number(m.group("a"))
        b = parse_number(m.group("b") or m.group("b2"))
        numbers = [a] if a else []
        if a and b and b > a and b - a <= MAX_RANGE:
            numbers = list(range(a, b + 1))
        elif a and b and b != a:
            numbers = [a, b]
        if not numbers:
            continue
        # Attach the law name to the first reference right after it.
        start = m.start()
        gap = text[last_mention_end:m.start()] if last_mention_end >= 0 else None
        if gap is not None and id(current) not in used_mentions and _edition_re.fullmatch(gap):
            start = current.start
            used_mentions.add(id(current))
        raw.append((start, m.end(), current, numbers, parse_number(m.group("para")), parse_number(m.group("item"))))
    # Title-marked law names never followed by an article: one law-level citation.
    for mn in mentions:
        if mn.titled and id(mn) not in used_mentions and (mn.law is not None or _looks_like_law(mn.name)):
            follows = _article_re.match(text, mn.end + len(_edition_re.match(text, mn.end).group(0)))
            if follows is None:
                raw.append((mn.start, mn.end, mn, [None], None, None))
    raw.sort(key=lambda r: r[0])

    # Resolve articles in one query.
    wanted = {(r[2].law.pk, n) for r in raw if r[2].law is not None for n in r[3] if n}
    existing = {w for w in wanted if w[1] in _article_numbers(d, w[0])}
    laws = {r[2].law.pk: r[2].law for r in raw if r[2].law is not None}
    articles = _fetch_articles(existing, laws) if fetch_articles else {w: True for w in existing}

    citations = []
    for start, end, mention, numbers, para, item in raw:
        for n in numbers:
            c = Citation(text=text[start:end], start=start, end=end, article=n, cited_name=mention.name,
                         paragraph=para, item=item, candidates=list(mention.candidates))
            _resolve(c, mention.law, articles, as_of)
            citations.append(c)
    return citations


def _fetch_articles(wanted, laws):
    """Article objects for (law pk, number) pairs, one query; ``laws`` maps pk → Law."""
    if not wanted:
        return {}
    by_law = {}
    for law_pk, number in wanted:
        by_law.setdefault(law_pk, set()).add(number)
    cond = Q()
    for law_pk, numbers in by_law.items():
        cond |= Q(law_id=law_pk, number__in=sorted(numbers))
    found = {}
    for art in Article.objects.filter(cond).order_by("law_id", "number", "position"):
        art.law = laws[art.law_id]
        found.setdefault((art.law_id, art.number), art)
    return found


#: Candidates of an ambiguous name listed in its message (all of them under check_citations --verbose).
_CANDIDATES_SHOWN = 6


def _resolve(c, law, articles, as_of):
    if law is None:
        c.status = UNKNOWN_LAW
        if len(c.candidates) > 1:
            shown = c.candidates[:_CANDIDATES_SHOWN]
            c.message = _("“%(name)s”可能指%(n)s部法规：%(laws)s%(more)s，无法确定所指，请写明全称。") % {
                "name": c.cited_name, "n": len(c.candidates),
                "laws": "、".join(f"《{lw.full_name}》" for lw in shown),
                "more": _("等") if len(c.candidates) > len(shown) else ""}
        elif c.candidates:
            c.message = _("“%(name)s”未写明地区，可能指《%(law)s》，请写明全称。") % {
                "name": c.cited_name, "law": c.candidates[0].full_name}
        else:
            c.message = _("法规库中没有“%(name)s”。") % {"name": c.cited_name}
        return
    c.law = law
    c.law_name = law.full_name
    c.successor = law.successor
    c.note = region_note(law)
    if c.article is not None:
        found = articles.get((law.pk, c.article))
        c.article_obj = found if found is not True else None
        if found is None:
            c.status = UNKNOWN_ARTICLE
            c.message = _("《%(law)s》没有第%(n)s条。") % {"law": law.short_name or law.full_name, "n": c.article}
            return
    not_yet = as_of is not None and _start(law) > as_of
    if law.status == law.REPEALED:
        after = as_of is not None and (law.repeal_date is None or as_of >= law.repeal_date)
        c.status = NOT_IN_FORCE if (after or not_yet) else REPEALED
    elif not_yet:
        c.status = NOT_IN_FORCE
    else:
        c.status = OK
    if c.status == REPEALED:
        c.message = _("《%(law)s》已废止%(date)s%(succ)s。") % {
            "law": law.short_name or law.full_name,
            "date": _("（%(d)s）") % {"d": law.repeal_date.isoformat()} if law.repeal_date else "",
            "succ": _("，由《%(s)s》取代") % {"s": law.successor.full_name} if law.successor else ""}
    elif c.status == NOT_IN_FORCE:
        if not_yet:
            c.message = _("《%(law)s》自%(d)s起施行，所涉日期%(on)s时尚未施行。") % {
                "law": law.short_name or law.full_name, "d": _start(law).isoformat(), "on": as_of.isoformat()}
        else:
            c.message = _("《%(law)s》于%(d)s废止，所涉日期%(on)s时已不再有效%(succ)s。") % {
                "law": law.short_name or law.full_name,
                "d": law.repeal_date.isoformat() if law.repeal_date else _("（日期未知）"),
                "on": as_of.isoformat(),
                "succ": _("，应引用《%(s)s》") % {"s": law.successor.full_name} if law.successor else ""}


# --- checks for publication ------------------------------------------------------


def check_text(text, as_of=None):
    """Problems of the citations in ``text``.

    Errors (block publication): unknown law, unknown article. Warnings (must be
    acknowledged): a repealed law cited in current material (``as_of`` None), a
    law not in force on ``as_of``. A repealed law cited by material dated before
    the repeal is correct and gives no problem."""
    problems = []
    for c in find_citations(text, as_of, fetch_articles=False):
        if c.status in (UNKNOWN_LAW, UNKNOWN_ARTICLE):
            problems.append(Problem(c, "error", c.status, c.message))
        elif c.status == NOT_IN_FORCE or (c.status == REPEALED and as_of is None):
            problems.append(Problem(c, "warning", c.status, c.message))
    return problems


# --- rendering ---------------------------------------------------------------------

_TAG_RE = re.compile(r"(<!--.*?-->|<[^>]*>)", re.S)
_SKIP_TAGS = {"a", "script", "style", "textarea", "code", "pre", "button", "select", "option", "title", "summary"}
_counter = threading.local()


def _next_id():
    n = getattr(_counter, "n", 0) + 1
    _counter.n = n
    return f"cite-{n}"


def _render(group, text):
    """Markup for one citation span (one or more articles)."""
    first = group[0]
    status = first.status
    for c in group:  # the worst status of the group decides the colour
        if c.status != OK:
            status = c.status
            break
    label = escape(html_lib.unescape(text)) if "&" in text else escape(text)
    pid = _next_id()
    notes = []
    for c in group:
        head = escape(str(c.article_obj)) if c.article_obj is not None else escape(c.text)
        if c.article_obj is not None:
            body = "".join(f"<span class=\"cite-para\">{escape(p)}</span>" for p in c.article_obj.paragraphs)
            notes.append(f"<span class=\"cite-head\"><a href=\"{escape(c.article_obj.get_permalink())}\">{head}</a>"
                         f"</span>{body}")
        if c.message:
            extra = ""
            if c.successor is not None:
                extra = (f" <a href=\"{escape(c.successor.get_absolute_url())}\">"
                         f"{escape(_('查看《%(s)s》') % {'s': c.successor.short_name or c.successor.full_name})}</a>")
            notes.append(f"<span class=\"cite-msg cite-msg-{c.status}\">{escape(c.message)}{extra}</span>")
        elif c.article_obj is None and c.law is not None:
            notes.append(f"<span class=\"cite-head\">{escape(c.law.full_name)}</span>")
    pop = f"<span class=\"cite-pop\" id=\"{pid}\" role=\"note\">{''.join(notes)}</span>"
    url = first.url
    if url:
        link = f"<a class=\"cite-link\" href=\"{escape(url)}\" aria-describedby=\"{pid}\">{label}</a>"
    else:
        link = (f"<span class=\"cite-link cite-broken\" tabindex=\"0\" aria-describedby=\"{pid}\">"
                f"{label}</span>")
    badge = ""
    if status in (REPEALED, NOT_IN_FORCE):
        badge = f"<span class=\"badge badge-amber cite-badge\">{escape(_('已废止') if status == REPEALED else _('未生效/已失效'))}</span>"
    elif status in (UNKNOWN_LAW, UNKNOWN_ARTICLE):
        badge = f"<span class=\"badge badge-red cite-badge\">{escape(_('引用有误'))}</span>"
    toggle = (f"<button type=\"button\" class=\"cite-toggle\" aria-expanded=\"false\" aria-controls=\"{pid}\" "
              f"title=\"{escape(_('显示条文'))}\"><span aria-hidden=\"true\">{escape(_('原文'))}</span>"
              f"<span class=\"sr-only\">{escape(_('显示条文'))}</span></button>")
    return f"<span class=\"cite cite-{status}\">{link}{badge}{toggle}{pop}</span>"


def linkify_citations(html_or_text, as_of=None):
    """Return safe HTML in which each citation links to its article, with the
    article text inline (shown on focus/hover or by the 原文 toggle; keyboard
    reachable without a mouse). Include the stylesheet ``casebank/casebank.css``
    (and optionally ``casebank/citations.js``).

    Nothing is guessed: only a safe string (``SafeData``, e.g. RichText or
    Markdown already sanitised by nh3) is taken as HTML, and is changed only in
    text outside links, code and buttons. Anything else is text and is escaped,
    whatever it looks like; so is the fallback when linking fails."""
    if not html_or_text:
        return mark_safe("")
    if hasattr(html_or_text, "__html__"):  # SafeData: HTML already made safe
        source = str(html_or_text.__html__())
    else:
        source = escape(str(html_or_text))
    try:
        return mark_safe(_linkify_html(source, as_of))  # noqa: S308 — safe HTML or escaped text, plus escaped links
    except Exception:  # noqa: BLE001
        logging.getLogger("academy").exception("citation linking failed")
        return mark_safe(source)  # noqa: S308 — safe HTML or escaped text (above)


def _linkify_html(source, as_of):
    parts = _TAG_RE.split(source)
    # Text segments (even indexes) eligible for linking, with their offsets in the joined text.
    skip_depth = 0
    joined = []
    offsets = []  # (part index, start in joined)
    pos = 0
    for i, part in enumerate(parts):
        if i % 2 == 1:
            m = re.match(r"<\s*(/)?\s*([a-zA-Z0-9]+)", part)
            if m and m.group(2).lower() in _SKIP_TAGS and not part.rstrip().endswith("/>"):
                skip_depth += -1 if m.group(1) else 1
                skip_depth = max(skip_depth, 0)
            continue
        joined.append(part)  # text inside links still names laws for what follows; it is not linked
        offsets.append((i, pos, skip_depth == 0))
        pos += len(part)
    full = "".join(joined)
    cites = find_citations(full, as_of)
    if not cites:
        return source
    groups = {}
    for c in cites:
        groups.setdefault((c.start, c.end), []).append(c)
    spans = sorted(groups)
    out_parts = list(parts)
    for i, seg_start, eligible in offsets:
        if not eligible:
            continue
        seg = parts[i]
        seg_end = seg_start + len(seg)
        inside = [s for s in spans if s[0] >= seg_start and s[1] <= seg_end]
        if not inside:
            continue
        pieces, cursor = [], seg_start
        for s, e in inside:
            if s < cursor:
                continue
            pieces.append(full[cursor:s])
            pieces.append(_render(groups[(s, e)], full[s:e]))
            cursor = e
        pieces.append(full[cursor:seg_end])
        out_parts[i] = "".join(pieces)
    return "".join(out_parts)
