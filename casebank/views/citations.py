"""A small page where staff check the citations of any text."""
import datetime

from django.shortcuts import render
from django.utils.translation import gettext as _

from ..citations import find_citations, linkify_citations
from .access import staff_required

MAX_CHARS = 50_000


@staff_required
def check_page(request):
    text = ""
    date_text = ""
    citations = None
    preview = ""
    error = ""
    if request.method == "POST":
        text = request.POST.get("text", "")[:MAX_CHARS]
        date_text = (request.POST.get("date") or "").strip()
        as_of = None
        if date_text:
            try:
                as_of = datetime.date.fromisoformat(date_text)
            except ValueError:
                error = _("日期格式应为 YYYY-MM-DD（错误代码 bad_date）。")
        if not error:
            citations = find_citations(text, as_of)
            preview = linkify_citations(text, as_of)
    return render(request, "casebank/citation_check.html", {
        "text": text, "date": date_text, "citations": citations, "preview": preview, "error": error,
        "bad": [c for c in citations or [] if c.status != "ok"]})
