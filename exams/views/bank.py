"""Question bank for trainers (题库): list and filter, preview, import, export, template.
Questions are edited in the Wagtail admin (snippets) by trainers."""
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from taggit.models import Tag

from casebank.domain import CATEGORY_CHOICES
from portal.params import id_param
from portal.spreadsheets import FORMATS, spreadsheet_response

from .. import importer, importer_formats
from ..access import trainer_required
from ..models import Difficulty, Question, QuestionStatus, QuestionTag, QuestionType
from ..paper import discretion_levels, feedback

MAX_UPLOAD = 5 * 1024 * 1024


def filtered(request):
    qs = Question.objects.all()
    f = {k: (request.GET.get(k) or "").strip() for k in ("q", "qtype", "category", "difficulty", "status", "tag")}
    if f["q"]:
        qs = qs.filter(Q(text__icontains=f["q"]) | Q(explanation__icontains=f["q"]))
    if f["qtype"]:
        qs = qs.filter(qtype=f["qtype"])
    if f["category"]:
        qs = qs.filter(category=f["category"])
    difficulty = id_param(f["difficulty"])
    if difficulty is not None:
        qs = qs.filter(difficulty=difficulty)
    if f["status"]:
        qs = qs.filter(status=f["status"])
    if f["tag"]:
        qs = qs.filter(tags__name=f["tag"])  # a tag, matched exactly (罚款 is not 罚款决定)
    return qs, f


def bank_tags():
    """Names of the tags questions carry, for the filter's suggestions."""
    return list(Tag.objects.filter(pk__in=QuestionTag.objects.values("tag_id")).order_by("name")
                .values_list("name", flat=True))


@trainer_required
def question_list(request):
    qs, f = filtered(request)
    page = Paginator(qs.annotate(n_answers=Count("answers")).order_by("-id"), 50).get_page(request.GET.get("page"))
    return render(request, "exams/bank_list.html", {
        "page": page, "f": f, "qtypes": QuestionType.choices, "categories": CATEGORY_CHOICES,
        "difficulties": Difficulty.choices, "statuses": QuestionStatus.choices, "total": page.paginator.count,
        "query": request.GET.urlencode(), "tags": bank_tags(),
    })


@trainer_required
def question_detail(request, pk):
    question = get_object_or_404(Question, pk=pk)
    version = question.current_version or question.publish_version()

    class _Preview:  # the feedback helper reads an answer-like object
        def __init__(self, v):
            self.version, self.correct, self.score, self.points = v, None, None, None
            self.marks, self.comment, self.needs_marking, self.marked_at = {}, "", False, None
            self.option_order = [o["key"] for o in v.content.get("options", [])]

    return render(request, "exams/question_detail.html", {
        "question": question, "version": version, "content": version.content,
        "levels": discretion_levels(version.content), "key": feedback(_Preview(version)), "versions": question.versions.all(),
        "n_answers": question.answers.count(),
    })


@trainer_required
def export(request, fmt):
    if fmt not in FORMATS:
        raise Http404
    qs, _f = filtered(request)
    questions = qs.prefetch_related("options", "rubric_points", "tags").order_by("id")
    rows = (importer.question_row(q) for q in questions.iterator(chunk_size=500))
    return spreadsheet_response(fmt, f"question-bank.{fmt}", importer.bank_sheet(rows))


@trainer_required
def template(request, fmt):
    if fmt not in FORMATS:
        raise Http404
    return spreadsheet_response(fmt, f"question-template.{fmt}", *importer.template_sheets())


def _upload_dir():
    path = Path(settings.DATA_DIR) / "exam-imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


@trainer_required
def import_view(request):
    """Upload (.xlsx, .csv, .txt or .docx) → preview (dry run: every bad row or line with its
    number, column or field and reason) → import the good questions, or all-or-nothing. The uploaded file waits in the data folder between the two steps."""
    ctx = {"report": None, "token": "", "filename": ""}
    if request.method == "POST":
        mode = request.POST.get("mode", "good")
        token = request.POST.get("token", "")
        upload = request.FILES.get("file")
        stored = None
        if upload is not None:
            suffix = Path(upload.name).suffix.lower()
            if suffix not in importer_formats.SUFFIXES:
                messages.error(request, _("只支持 .xlsx、.csv、.txt 和 .docx 文件。"))
                return render(request, "exams/bank_import.html", ctx, status=400)
            if upload.size > MAX_UPLOAD:
                messages.error(request, _("文件过大（上限 5 MB）。"))
                return render(request, "exams/bank_import.html", ctx, status=400)
            token = f"{request.user.pk}-{uuid.uuid4().hex}{suffix}"
            stored = _upload_dir() / token
            stored.write_bytes(upload.read())
        elif token and Path(token).name == token and token.startswith(f"{request.user.pk}-"):
            stored = _upload_dir() / token
        if stored is None or not stored.exists():
            messages.error(request, _("请选择要导入的文件。"))
            return render(request, "exams/bank_import.html", ctx, status=400)
        action = request.POST.get("action", "preview")
        try:
            report = importer_formats.run_import(stored.read_bytes(), stored.name, dry_run=action != "import",
                                                 all_or_nothing=mode == "all", user=request.user)
        except importer.FileFormatError as exc:
            stored.unlink(missing_ok=True)
            messages.error(request, str(exc))
            return render(request, "exams/bank_import.html", ctx, status=400)
        if action == "import":
            stored.unlink(missing_ok=True)
            if report.imported:
                messages.success(request, _("已导入 %(n)s 道试题。") % {"n": report.created})
            else:
                messages.error(request, _("有 %(n)s 行存在问题，按“全部成功才导入”的选择，本次未导入任何试题。")
                               % {"n": len(report.bad_rows)})
            token = ""
        ctx.update({"report": report, "token": token, "mode": mode, "action": action,
                    "line_label": importer_formats.line_label(stored.name)})
        return render(request, "exams/bank_import.html", ctx, status=200 if not report.errors else 200)
    return render(request, "exams/bank_import.html", ctx)
