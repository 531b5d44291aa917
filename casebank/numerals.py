"""Numbers written in Chinese or Arabic numerals (第三十三条, 第33条, 第３３条).

The one parser of the project's statute numbers: the citation parser, the statute
importers and the search analyser (search.analysis normalises 第三十三条 to 第33条)
all read article numbers with it. Plain Python with no imports, so that any layer,
and the search index's tokenizer before Django is set up, may use it."""

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


def parse_number(s):
    """'三十三' → 33, '一千一百八十五' → 1185, '33' / '３３' → 33; None when unreadable."""
    if not s:
        return None
    s = s.strip().translate(_FULLWIDTH)
    if s.isdecimal():  # not isdigit(): int() refuses '²'
        return int(s)
    total, section, digit = 0, 0, None
    for ch in s:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _UNITS:
            section += (1 if digit is None else digit) * _UNITS[ch]
            digit = None
        elif ch == "万":
            section += digit or 0
            total += (section or 1) * 10000
            section, digit = 0, None
        else:
            return None
    section += digit or 0
    value = total + section
    return value or None
