"""Read the text of a law or regulation written in the statute Markdown format.

The format (the one of the public LawRefBook/Laws collection of the national 法律法规数据库):

    # 城市道路管理条例                      ← title (a second ``#`` line is a subtitle)
    1996年6月4日中华人民共和国国务院令第198号发布   ← history lines: a date, then what happened
    2019年3月24日《国务院关于修改部分行政法规的决定》第三次修订
    <!-- INFO END -->                     ← end of the header
    ## 第一章 总则                         ← chapters (##), sections (###)
    第一条 为了加强城市道路管理，……        ← an article: 第…条 at the start of a line, then a space
    （一）……                              ← further lines belong to the article (款, 项)

Files are named ``<title>(<version date>).md``. A text without any 第…条 is read by its numbered items
(一、二、…) or, failing that, as one full text, never dropped. Everything here is plain Python: it takes text
and returns data, and raises LawTextError (with the line) for what cannot be read.
"""
import datetime
import re
from dataclasses import dataclass, field

from .numerals import parse_number

#: 第…条 at the start of a line followed by a space (half- or full-width) or the end of the line.
_ARTICLE_RE = re.compile(r"^(第([^\s　第条]{1,10})条(之[一二三四五六七八九十]{1,3})?)(?:[ \t　]+|$)(.*)$")
_ITEM_RE = re.compile(r"^([一二三四五六七八九十百]{1,4})、\s*(.*)$")
_HEADING_RE = re.compile(r"^(#{1,6})\s*(.*?)\s*$")
_COMMENT_RE = re.compile(r"<!--.*?-->")
_DATE_RE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_FILENAME_RE = re.compile(r"^(?P<title>.+?)(?:\((?P<date>[^()]*)\))?\.md$")
_BODY_RE = re.compile(
    r"((?:[\u4e00-\u9fff]{2,20}?)人民代表大会常务委员会|(?:[\u4e00-\u9fff]{2,20}?)人民代表大会|国务院|"
    r"(?:[\u4e00-\u9fff]{2,20}?)人民政府)")
INFO_END = "<!-- INFO END -->"


class LawTextError(ValueError):
    """A text that cannot be read; ``line`` is 1-based (0: the file as a whole)."""

    def __init__(self, message, line=0):
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass
class ParsedArticle:
    number: int | None
    number_text: str
    chapter: str
    section: str
    text: str
    line: int


@dataclass
class ParsedLaw:
    title: str
    subtitle: str = ""
    history: list = field(default_factory=list)  # [(date or None, text)]
    articles: list = field(default_factory=list)  # [ParsedArticle]
    layout: str = "articles"  # articles / items / fulltext
    warnings: list = field(default_factory=list)  # [(line, message)]

    @property
    def first_date(self):
        dates = [d for d, _t in self.history if d]
        return min(dates) if dates else None

    def effective_date(self):
        """The date of the last history line that says the text takes effect (施行), if any."""
        dates = [d for d, t in self.history if d and "施行" in t]
        return max(dates) if dates else None

    def issuing_body(self):
        """The body named in the first history line (制定机关), e.g. 国务院, 宁波市人民代表大会常务委员会."""
        for _d, text in self.history:
            m = _BODY_RE.search(re.sub(r"第?[一二三四五六七八九十百]+届", "", text))
            if m:
                return m.group(1)
        return ""


def parse_date(value):
    """'2019-03-24' → date; None for ''; LawTextError for anything else."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise LawTextError(f"日期“{value}”无法识别（应为 YYYY-MM-DD）") from None


def parse_filename(name):
    """'城市道路管理条例(2019-03-24).md' → ('城市道路管理条例', date(2019, 3, 24)); the date may be absent."""
    base = name.rsplit("/", 1)[-1]
    m = _FILENAME_RE.match(base)
    if not m:
        raise LawTextError(f"文件名“{base}”不是 <名称>(<YYYY-MM-DD>).md 的形式")
    return m.group("title").strip(), parse_date(m.group("date"))


def _chinese_date(text):
    m = _DATE_RE.search(text)
    if not m:
        return None
    try:
        return datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def parse_markdown(text):
    """Parse one law's Markdown text into a ParsedLaw; raises LawTextError (with the line) when the text has
    no title, no content, or repeats an article number."""
    if "\x00" in text:
        raise LawTextError("文件含有二进制内容，不是文本")
    lines = text.splitlines()
    # Front matter (--- … ---) of the source's site generator.
    start = 0
    if lines and lines[0].strip() == "---":
        for i in range(1, len(lines)):
            if lines[i].strip() == "---":
                start = i + 1
                break
    has_info_end = any(INFO_END in ln for ln in lines[start:])
    law = None
    in_header = True
    chapter = section = ""
    body = []  # (lineno, line) after the header
    for lineno, raw in enumerate(lines[start:], start + 1):
        line = raw.strip()
        if in_header:
            if INFO_END in line:
                in_header = False
                continue
            line = _COMMENT_RE.sub("", line).strip()
            if not line:
                continue
            m = _HEADING_RE.match(line)
            if m and m.group(1) == "#":
                if law is None:
                    law = ParsedLaw(title=m.group(2))
                elif not law.subtitle:
                    law.subtitle = m.group(2)
                continue
            if law is None:
                raise LawTextError("缺少标题行（# 名称）", lineno)
            if not has_info_end and (_ARTICLE_RE.match(line) or m):
                # No header marker: the body starts at the first heading or article.
                in_header = False
                body.append((lineno, line))
                continue
            law.history.append((_chinese_date(line), line))
            continue
        line = _COMMENT_RE.sub("", line).strip()
        if line:
            body.append((lineno, line))
    if law is None or not law.title:
        raise LawTextError("缺少标题行（# 名称）", 1)
    articles = []
    current = None
    seen = {}
    for lineno, line in body:
        m = _HEADING_RE.match(line)
        if m:
            level, heading = len(m.group(1)), m.group(2)
            if level <= 2:
                chapter, section = heading[:120], ""
            else:
                section = heading[:120]
            current = None
            continue
        m = _ARTICLE_RE.match(line)
        if m:
            number_text = m.group(1)
            number = parse_number(m.group(2))
            key = (number, m.group(3) or "")
            if number is None:
                law.warnings.append((lineno, f"条号“{number_text}”无法识别，按原文保存"))
            elif key in seen:
                raise LawTextError(f"条号“{number_text}”重复（第 {seen[key]} 行已有）", lineno)
            else:
                seen[key] = lineno
            current = ParsedArticle(number if not m.group(3) else None, number_text, chapter, section,
                                    m.group(4).strip(), lineno)
            articles.append(current)
            continue
        if current is not None:
            current.text = f"{current.text}\n{line}" if current.text else line
        else:
            articles.append((lineno, line))  # text outside any article (preamble, items): kept for the fallbacks
    numbered = [a for a in articles if isinstance(a, ParsedArticle)]
    loose = [a for a in articles if not isinstance(a, ParsedArticle)]
    if numbered:
        law.articles = numbered
        if loose:
            # A preamble (序言) or closing text outside the articles is kept as an unnumbered first part.
            text = "\n".join(t for _n, t in loose)
            law.articles.insert(0, ParsedArticle(None, "序言", "", "", text, loose[0][0]))
        return law
    if not loose:
        raise LawTextError("正文为空：没有条文，也没有其他内容")
    law.articles = _items(loose) or [ParsedArticle(None, "全文", "", "", "\n".join(t for _n, t in loose), loose[0][0])]
    law.layout = "items" if len(law.articles) > 1 or law.articles[0].number_text != "全文" else "fulltext"
    return law


def _items(loose):
    """Numbered items 一、二、… as parts; [] when the text is not laid out that way."""
    parts = []
    lead = []
    for lineno, line in loose:
        m = _ITEM_RE.match(line)
        if m and parse_number(m.group(1)) == len(parts) + 1:
            parts.append(ParsedArticle(None, f"{m.group(1)}、", "", "", m.group(2), lineno))
        elif parts:
            parts[-1].text = f"{parts[-1].text}\n{line}" if parts[-1].text else line
        else:
            lead.append((lineno, line))
    if len(parts) < 2:
        return []
    if lead:
        parts.insert(0, ParsedArticle(None, "序言", "", "", "\n".join(t for _n, t in lead), lead[0][0]))
    return parts
