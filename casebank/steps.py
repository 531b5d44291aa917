"""Split a text on its own numbering into steps: "……办理程序：（一）立案：……（二）调查取证：……"
becomes an introduction and the numbered steps, so a procedure reads as a list.

A numbering counts only when it runs in order from its first number (（一）（二）（三）…,
一、二、…, 1. 2. …, （1）（2）…) with at least two steps; a marker inside a citation
("第（一）项") or a decimal ("1.5") is not one. Text without such a numbering comes back
whole, as the introduction with no steps. Plain Python: text in, text out."""
import re
from dataclasses import dataclass

from .numerals import parse_number

_CN = "一二三四五六七八九十百"
#: Marker styles, tried in this order; the first that yields a numbering of two steps wins.
#: Each captures the number; a marker starts the text or follows punctuation, a space or a line
#: break (so "第（一）项" inside a citation is not one).
_BEFORE = r"(?:^|(?<=[\s。；;：:，,）)]))"
_STYLES = [
    rf"{_BEFORE}[（(]([{_CN}]+)[）)]",
    rf"{_BEFORE}([{_CN}]+)、",
    rf"{_BEFORE}[（(](\d{{1,2}})[）)]",
    rf"{_BEFORE}(\d{{1,2}})[.．、](?!\d)",
]


@dataclass
class Steps:
    intro: str
    #: [(marker as written, text of the step)]
    items: list


def _value(number):
    return int(number) if number.isdigit() else parse_number(number)


def split_steps(text):
    """Steps(intro, [(marker, text)]) of ``text``; no numbering: Steps(text, [])."""
    text = text or ""
    for style in _STYLES:
        found, expected = [], 1
        for m in re.finditer(style, text, flags=re.M):
            if _value(m.group(1)) == expected:
                found.append(m)
                expected += 1
        if len(found) >= 2:
            intro = text[:found[0].start()].strip()
            items = []
            for i, m in enumerate(found):
                end = found[i + 1].start() if i + 1 < len(found) else len(text)
                items.append((m.group(0).strip(), text[m.end():end].strip()))
            return Steps(intro, items)
    return Steps(text, [])
