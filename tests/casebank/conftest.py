"""Fixtures of the case bank tests: a small statute library in the data
package's SQLite schema, imported once per module and rolled back after it."""
import sqlite3

import pytest
from django.db import transaction

from casebank.citations import invalidate_cache

SCHEMA = """
CREATE TABLE laws (
    law_id TEXT PRIMARY KEY, law_name TEXT NOT NULL, doc_type TEXT,
    level TEXT, issuing_body TEXT, publish_date TEXT, effective_date TEXT,
    version_date TEXT, status TEXT, law_department TEXT
);
CREATE TABLE articles (
    id INTEGER PRIMARY KEY, law_id TEXT NOT NULL, law_name TEXT NOT NULL,
    law_department TEXT, level TEXT, status TEXT, chapter TEXT, section TEXT,
    article_no TEXT, article_no_arabic INTEGER, article_text TEXT, char_count INTEGER
);
"""

_D = "零一二三四五六七八九"


def chinese(n):
    """1185 → 一千一百八十五 (as the statute texts write article numbers)."""
    if n < 10:
        return _D[n]
    if n < 20:
        return "十" + (_D[n % 10] if n % 10 else "")
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit:
            if zero and out:
                out += "零"
            out += _D[digit] + unit
            zero = False
        elif out:
            zero = True
    return out


#: (law_id, name, status, effective_date, number of articles, version_date)
LAWS = [
    ("penalty", "中华人民共和国行政处罚法", "现行有效", "2021-07-15", 86, "2021-01-22"),
    ("air", "中华人民共和国大气污染防治法", "已废止", "2016-01-01", 129, "2018-10-26"),
    ("noise", "中华人民共和国噪声污染防治法", "已废止", "2022-06-05", 90, "2021-12-24"),
    ("eco", "中华人民共和国生态环境法典", "现行有效", "2026-08-15", 1242, "2026-03-12"),
    ("civil", "中华人民共和国民法典", "现行有效", "2021-01-01", 1260, "2020-05-28"),
    ("planning", "中华人民共和国城乡规划法", "现行有效", "2008-01-01", 70, "2019-04-23"),
    ("traffic", "中华人民共和国道路交通安全法", "现行有效", "2004-05-01", 124, "2021-04-29"),
    ("coercion", "中华人民共和国行政强制法", "现行有效", "2012-01-01", 71, "2011-06-30"),
    ("tm-old", "中华人民共和国商标法", "历史版本", "2019-11-01", 73, "2019-04-23"),
    ("tm-new", "中华人民共和国商标法", "现行有效", "2026-10-01", 80, "2026-06-26"),
]


def article_text(law_name, n):
    return f"{law_name}第{n}条第一款的条文。\n第{n}条第二款的条文。"


def build_statutes_db(path, laws=LAWS, *, extra_sql=""):
    conn = sqlite3.connect(path)
    conn.executescript(SCHEMA)
    aid = 0
    for law_id, name, status, effective, count, version in laws:
        conn.execute("INSERT INTO laws VALUES (?,?,?,?,?,?,?,?,?,?)", (
            law_id, name, "法律", "法律", "全国人民代表大会常务委员会", version, effective, version, status, "行政法"))
        for n in range(1, count + 1):
            aid += 1
            chapter = f"第{chinese((n - 1) // 20 + 1)}章 测试章"
            section = f"第{chinese((n - 1) // 10 % 2 + 1)}节 测试节" if law_id == "penalty" else None
            conn.execute("INSERT INTO articles VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", (
                aid, law_id, name, "行政法", "法律", status, chapter, section, f"第{chinese(n)}条", n,
                article_text(name, n), 20))
    if extra_sql:
        conn.executescript(extra_sql)
    conn.commit()
    conn.close()
    return path


@pytest.fixture(scope="session")
def statutes_file(tmp_path_factory):
    return build_statutes_db(tmp_path_factory.mktemp("statutes") / "laws.db")


@pytest.fixture(scope="module")
def statutes(django_db_setup, django_db_blocker, statutes_file):
    """The small library imported for the whole module (rolled back afterwards)."""
    from casebank.importers import import_statutes

    with django_db_blocker.unblock():
        with transaction.atomic():
            invalidate_cache()
            summary = import_statutes(statutes_file)
            yield summary
            transaction.set_rollback(True)
        invalidate_cache()
