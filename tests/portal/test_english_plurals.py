"""Counts in English take the form their number asks for ("1 case", "2 cases", "1 training hour");
Chinese has one form. Every message with plural forms has two different English forms and is
never looked up without its count."""
import glob
import gettext
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation

from portal.templatetags.portal_tags import hours

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(glob.glob(str(ROOT / "*" / "locale" / "en" / "LC_MESSAGES" / "django.mo")))


def plural_msgids():
    found = {}
    for path in CATALOGUES:
        catalogue = gettext.GNUTranslations(open(path, "rb"))._catalog
        for key, text in catalogue.items():
            if isinstance(key, tuple):
                found.setdefault((path, key[0]), {})[key[1]] = text
    return found


#: Plural entries whose English does not change with the number.
SAME_IN_ENGLISH = {"%(n)s 条未读"}  # "3 unread"


def test_every_english_plural_entry_has_two_different_forms():
    entries = plural_msgids()
    assert len(entries) >= 30
    same = [msgid for (_path, msgid), forms in entries.items()
            if forms.get(0) == forms.get(1) and msgid not in SAME_IN_ENGLISH]
    assert same == []


def test_a_message_with_plural_forms_is_never_looked_up_without_its_count():
    """{% trans %}, a {% blocktrans %} without count or _() of such a message would miss its entry
    and show the Chinese source."""
    plural = {msgid for _path, msgid in plural_msgids()}
    uses = []
    for path in ROOT.glob("*/**/templates/**/*.html"):
        if ".venv" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"\{% blocktrans(?:late)?((?:(?!%\}).)*)%\}(.*?)\{% endblocktrans(?:late)? %\}", text, re.S):
            if "count" not in m.group(1) and "context" not in m.group(1):
                msg = re.sub(r"\{\{ *(\w+) *\}\}", r"%(\1)s", m.group(2))
                uses += [(path.name, msg)] if msg in plural else []
        uses += [(path.name, m.group(1)) for m in re.finditer(r'\{% trans(?:late)? "([^"]*)"', text)
                 if m.group(1) in plural]
    for path in ROOT.glob("*/**/*.py"):
        if ".venv" in path.parts or "tests" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        uses += [(path.name, m.group(1)) for m in re.finditer(r'\b_(?:lazy)?\(\s*"([^"]*)"', text)
                 if m.group(1) in plural]
    assert uses == []


@pytest.mark.parametrize("value, english, chinese", [
    (1, "1 training hour", "1 学时"),
    (Decimal("1.0"), "1 training hour", "1 学时"),
    (Decimal("1.5"), "1.5 training hours", "1.5 学时"),
    (6.0, "6 training hours", "6 学时"),
    (0, "0 training hours", "0 学时"),
])
def test_training_hours_after_a_number(value, english, chinese):
    with translation.override("en"):
        assert hours(value) == english
    with translation.override("zh-hans"):
        assert hours(value) == chinese



def test_a_label_and_its_value_are_joined_by_the_readers_colon():
    """法律依据：… in Chinese, "Legal basis: …" in English — never a full-width colon after English words."""
    from django.template import Context, Template

    joined = Template('{% load i18n %}{% trans "法律依据" %}{% trans "：" context "label separator" %}X')
    with translation.override("en"):
        assert joined.render(Context()) == "Legal basis: X"
    with translation.override("zh-hans"):
        assert joined.render(Context()) == "法律依据：X"
    fixed = [path.name for path in ROOT.glob("*/**/templates/**/*.html")
             if ".venv" not in path.parts and re.search(r"(%\}|\}\})：", path.read_text(encoding="utf-8"))]
    assert fixed == []
