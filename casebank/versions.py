"""Versions of a law or regulation (法规变迁): which row is the current version, and the
article-by-article comparison of two versions (对照) with the changed words marked.

Rows that share ``full_name`` and ``region`` are the versions of one regulation (``Law.versions()``).
"""
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.db.models import Case, DateField, Exists, IntegerField, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .library import Law

#: Renumbered articles are paired by text when at least this similar (0–1).
MOVED_SIMILARITY = 0.6
#: Articles with the same number count as one changed article when at least this similar;
#: below, the old one is shown as removed and the new one as added.
SAME_NUMBER_SIMILARITY = 0.35
#: Above this many unpaired article pairs the similarity search is skipped (it is quadratic;
#: 250,000 bigram-set comparisons take about a quarter of a second).
MAX_SIMILARITY_PAIRS = 250_000

_NO_DATE = Value("0001-01-01", output_field=DateField())


def _ranked(qs):
    """Annotate the sort key of "which version is current": in force first, then the newest version
    date (none counts as oldest), then the newest row."""
    return qs.annotate(
        _in_force=Case(When(status=Law.IN_FORCE, then=Value(1)), default=Value(0), output_field=IntegerField()),
        _vdate=Coalesce("version_date", _NO_DATE),
    )


def current_versions(qs=None):
    """``qs`` (default: all laws) keeping only the current version of each regulation."""
    qs = _ranked(Law.objects.all() if qs is None else qs)
    better = _ranked(Law.objects.filter(full_name=OuterRef("full_name"), region=OuterRef("region"))).filter(
        Q(_in_force__gt=OuterRef("_in_force"))
        | Q(_in_force=OuterRef("_in_force"), _vdate__gt=OuterRef("_vdate"))
        | Q(_in_force=OuterRef("_in_force"), _vdate=OuterRef("_vdate"), pk__gt=OuterRef("pk")))
    return qs.filter(~Exists(better))


def current_version_of(law):
    """The current version of ``law``'s regulation (may be ``law`` itself)."""
    return current_versions(law.versions()).first() or law


# --- comparison -----------------------------------------------------------------------------------

SAME = "same"
CHANGED = "changed"
ADDED = "added"
REMOVED = "removed"


@dataclass
class Row:
    """One line of the comparison: an article of the old version (``a``), of the new (``b``), or both."""

    status: str
    a: object = None
    b: object = None
    a_html: str = ""
    b_html: str = ""

    @property
    def renumbered(self):
        return self.a is not None and self.b is not None and self.a.number != self.b.number


def _plain(text):
    return "".join((text or "").split())


def _html(text):
    return escape(text).replace("\n", "<br>")


#: An unchanged run this short between two changes is shown as changed too (readability: a stray
#: common character such as 的 or 法 inside a rewritten phrase is not worth its own fragment).
SHORT_EQUAL = 1


def _opcodes(old, new):
    """difflib opcodes with short unchanged runs between changes folded into them: [(equal?, i1, i2, j1, j2)]."""
    ops = SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    merged = []
    for n, (tag, i1, i2, j1, j2) in enumerate(ops):
        equal = tag == "equal"
        if (equal and i2 - i1 <= SHORT_EQUAL and 0 < n < len(ops) - 1):
            equal = False
        if merged and not equal and not merged[-1][0]:
            merged[-1] = (False, merged[-1][1], i2, merged[-1][3], j2)
        else:
            merged.append((equal, i1, i2, j1, j2))
    return merged


def mark_changes(old, new):
    """(old_html, new_html): both texts escaped, removed characters in <del>, added ones in <ins>."""
    old, new = old or "", new or ""
    left, right = [], []
    for equal, i1, i2, j1, j2 in _opcodes(old, new):
        if equal:
            left.append(_html(old[i1:i2]))
            right.append(_html(new[j1:j2]))
            continue
        if i2 > i1:
            left.append(f"<del>{_html(old[i1:i2])}</del>")
        if j2 > j1:
            right.append(f"<ins>{_html(new[j1:j2])}</ins>")
    return mark_safe("".join(left)), mark_safe("".join(right))  # noqa: S308 - every piece escaped above


def _bigrams(text):
    plain = _plain(text)
    return frozenset(plain[i:i + 2] for i in range(len(plain) - 1)) or frozenset([plain])


def _similarity(a_grams, b_grams):
    """Dice coefficient of two character-bigram sets (0–1): cheap, and fair for Chinese text."""
    if not a_grams and not b_grams:
        return 1.0
    return 2 * len(a_grams & b_grams) / (len(a_grams) + len(b_grams))


def align(old_articles, new_articles):
    """Pair the articles of two versions: identical texts first (wherever they moved), then the same
    article number when the texts are alike, then renumbered articles by text similarity (best pairs
    first). Returns {old index: new index}."""
    pairs, used = {}, set()
    by_text = {}
    for j, b in enumerate(new_articles):
        by_text.setdefault(_plain(b.text), []).append(j)
    for i, a in enumerate(old_articles):
        candidates = [j for j in by_text.get(_plain(a.text), []) if j not in used]
        if candidates:
            j = next((j for j in candidates if new_articles[j].number == a.number), candidates[0])
            pairs[i] = j
            used.add(j)
    old_grams = [_bigrams(a.text) for a in old_articles]
    new_grams = [_bigrams(b.text) for b in new_articles]
    new_by_number = {}
    for j, b in enumerate(new_articles):
        if b.number is not None and j not in used:
            new_by_number.setdefault(b.number, j)
    for i, a in enumerate(old_articles):
        if i in pairs or a.number is None:
            continue
        j = new_by_number.get(a.number)
        if j is not None and j not in used:
            ratio = _similarity(old_grams[i], new_grams[j])
            # A clearly better partner elsewhere (a renumbered article) wins over the same number.
            if ratio >= SAME_NUMBER_SIMILARITY and not _better_elsewhere(i, j, ratio, old_grams, new_grams, used):
                pairs[i] = j
                used.add(j)
    old_left = [i for i in range(len(old_articles)) if i not in pairs]
    new_left = [j for j in range(len(new_articles)) if j not in used]
    if old_left and new_left and len(old_left) * len(new_left) <= MAX_SIMILARITY_PAIRS:
        scored = []
        for j in new_left:
            nb = len(new_grams[j])
            for i in old_left:
                na = len(old_grams[i])
                if 2 * min(na, nb) < MOVED_SIMILARITY * (na + nb):
                    continue  # the sizes alone rule it out (Dice ≤ 2·min / sum)
                ratio = _similarity(old_grams[i], new_grams[j])
                if ratio >= MOVED_SIMILARITY:
                    scored.append((-ratio, i, j))
        for _ratio, i, j in sorted(scored):
            if i not in pairs and j not in used:
                pairs[i] = j
                used.add(j)
    return pairs


def _better_elsewhere(i, j, ratio, old_grams, new_grams, used):
    """Whether old article ``i`` matches some other free new article much better than ``j``."""
    if ratio >= MOVED_SIMILARITY:
        return False
    return any(k != j and k not in used and _similarity(old_grams[i], grams) >= max(MOVED_SIMILARITY, ratio + 0.3)
               for k, grams in enumerate(new_grams))


def compare(old_articles, new_articles):
    """[Row] in the new version's order; an old article without a partner follows the row of the
    nearest paired article before it."""
    old_articles, new_articles = list(old_articles), list(new_articles)
    pairs = align(old_articles, new_articles)
    keyed = []
    for j, b in enumerate(new_articles):
        keyed.append(((j, 0, 0), j))
    anchor = -1
    for i in range(len(old_articles)):
        if i in pairs:
            anchor = pairs[i]
        else:
            keyed.append(((anchor, 1, i), ("old", i)))
    partner = {j: i for i, j in pairs.items()}
    rows = []
    for _key, ref in sorted(keyed, key=lambda kv: kv[0]):
        if isinstance(ref, tuple):
            a = old_articles[ref[1]]
            rows.append(Row(REMOVED, a=a, a_html=mark_safe(f"<del>{_html(a.text)}</del>")))  # noqa: S308
            continue
        b = new_articles[ref]
        i = partner.get(ref)
        if i is None:
            rows.append(Row(ADDED, b=b, b_html=mark_safe(f"<ins>{_html(b.text)}</ins>")))  # noqa: S308
            continue
        a = old_articles[i]
        if a.text == b.text:
            rows.append(Row(SAME, a=a, b=b, a_html=mark_safe(_html(a.text)), b_html=mark_safe(_html(b.text))))  # noqa: S308
        else:
            a_html, b_html = mark_changes(a.text, b.text)
            rows.append(Row(CHANGED, a=a, b=b, a_html=a_html, b_html=b_html))
    return rows


def summary(rows):
    """{status: count} of a comparison, plus how many paired articles were renumbered."""
    counts = {SAME: 0, CHANGED: 0, ADDED: 0, REMOVED: 0, "renumbered": 0}
    for row in rows:
        counts[row.status] += 1
        counts["renumbered"] += row.renumbered
    return counts
