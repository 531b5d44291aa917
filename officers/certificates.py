"""Certificates: issuing, reissuing, the PDF (reportlab) and the streamed ZIP.

Certificates live beside the qualifications they prove (a certificate is the
proof of a qualification or of an achievement: an exam passed, a course
completed). What a certificate says is frozen when it is issued; only its
status changes, and a correction is a reissue that keeps the old one.

The PDF embeds a subset of WenQuanYi Micro Hei (officers/fonts/, Apache-2.0),
a TrueType font, so it renders the same on a machine without Chinese fonts.
The QR code is encoded with reportlab's own barcode module
(reportlab.graphics.barcode.qrencoder) and drawn as one path.
"""
import collections
import itertools
import multiprocessing
import os
import secrets
import time
import zipfile
from concurrent.futures import ProcessPoolExecutor

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit, certpdf
from .models import (
    C_REPLACED, C_VALID, CERT_COURSE, CERT_EXAM, CERT_QUALIFICATION, Certificate,
)

from .certpdf import FONT_DIR, FONT_FILE, FONT_NAME, draw_qr, qr_matrix, register_font  # noqa: F401

#: Number prefixes by kind: 资格 / 考试 / 结业.
NUMBER_PREFIX = {CERT_QUALIFICATION: "ZG", CERT_EXAM: "KS", CERT_COURSE: "JY"}
#: Exam kinds (exams.Exam.kind) that earn a certificate when passed.
CERTIFIED_EXAM_KINDS = {"qualification", "annual", "final"}


def new_code():
    """A verification code: 192 random bits, URL-safe (32 characters)."""
    return secrets.token_urlsafe(24)


# --- Issuing -------------------------------------------------------------------------


def issue(officer, kind, subject, *, source_key, score=None, valid_until=None, qualification=None,
          issued_at=None, replaces=None, reason="", actor=None, request=None, holder_name=None, unit_name=None,
          into=None):
    """Issue a certificate once per (officer, source_key); returns (certificate, created). With
    ``into``, the audit entries are added to that list (audit.record) for the caller to write."""
    existing = Certificate.objects.filter(officer=officer, source_key=source_key).first()
    if existing:
        return existing, False
    issued_at = issued_at or timezone.localdate()
    try:
        with transaction.atomic():
            cert = Certificate.objects.create(
                kind=kind, officer=officer, qualification=qualification,
                holder_name=holder_name or officer.full_name, unit_name=unit_name or officer.unit.full_name,
                subject=subject, score=score, issued_at=issued_at, valid_until=valid_until, code=new_code(),
                replaces=replaces, reason=reason, source_key=source_key,
            )
            cert.number = f"{NUMBER_PREFIX[kind]}{issued_at.year}{cert.pk:07d}"
            Certificate.objects.filter(pk=cert.pk).update(number=cert.number)
            if replaces is not None and replaces.status != C_REPLACED:
                before = {"status": replaces.status}
                Certificate.objects.filter(pk=replaces.pk).update(status=C_REPLACED, status_reason=reason)
                replaces.status = C_REPLACED
                audit.record("certificate.status", request=request, actor=actor, officer=officer, obj=replaces,
                             before=before, after={"status": C_REPLACED, "replaced_by": cert.number},
                             reason=reason, into=into)
            audit.record("certificate.issue", request=request, actor=actor, officer=officer, obj=cert,
                         after={"number": cert.number, "kind": kind, "subject": subject,
                                "valid_until": valid_until.isoformat() if valid_until else None,
                                "replaces": replaces.number if replaces else None},
                         reason=reason, into=into)
    except IntegrityError:
        return Certificate.objects.get(officer=officer, source_key=source_key), False
    return cert, True


def issue_for_qualification(rec, *, actor=None, reason="", issued_at=None, into=None):
    """The qualification certificate for the record's current validity; it
    replaces the record's previous valid certificate."""
    previous = rec.certificates.filter(status=C_VALID).order_by("-id").first()
    cert, _created = issue(
        rec.officer, CERT_QUALIFICATION, rec.qualification_type.name, qualification=rec,
        valid_until=rec.expires_at, source_key=f"qualification:{rec.pk}:{rec.expires_at}:{rec.granted_at}",
        replaces=previous, reason=reason, actor=actor, issued_at=issued_at, into=into,
    )
    return cert


def issue_for_exam(officer, sitting, exam, score):
    """A certificate for a passed exam (qualification, annual and final exams)."""
    if getattr(exam, "kind", "") not in CERTIFIED_EXAM_KINDS:
        return None
    cert, _created = issue(officer, CERT_EXAM, exam.title, score=score, source_key=f"sitting:{sitting.pk}")
    return cert


def issue_for_course(officer, course, completed_at=None):
    """A certificate of completion, for courses that say so."""
    if not getattr(course, "issues_certificate", False):
        return None
    issued = timezone.localdate(completed_at) if completed_at else None
    cert, _created = issue(officer, CERT_COURSE, course.title, issued_at=issued, source_key=f"course:{course.pk}")
    return cert


def reissue(cert, *, actor, reason, request=None):
    """HR reissues a certificate (e.g. a corrected name): a new number and code,
    the holder's current name and unit; the old certificate is kept as 已换发."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请填写原因。"), code="reason_required")
    if cert.status != C_VALID:
        raise ValidationError(_("只有有效的证书可以换发。"), code="invalid_transition")
    officer = cert.officer
    new, _created = issue(
        officer, cert.kind, cert.subject, score=cert.score, valid_until=cert.valid_until,
        qualification=cert.qualification, source_key=f"reissue:{cert.pk}", replaces=cert, reason=reason,
        actor=actor, request=request,
    )
    return new


# --- PDF ------------------------------------------------------------------------------


def verification_url(code, request=None):
    """Absolute URL of a certificate's verification page, on the site's public address
    (settings.ACADEMY_PUBLIC_URL), never the address a request happened to arrive at:
    the printed URL and QR code must work for whoever holds the paper."""
    path = reverse("officers:verify_code", args=[code])
    return settings.ACADEMY_PUBLIC_URL.rstrip("/") + path


TITLES = {
    CERT_QUALIFICATION: "执法资格证书",
    CERT_EXAM: "考试合格证书",
    CERT_COURSE: "培训结业证书",
}


def _fmt_date(d):
    return f"{d.year} 年 {d.month} 月 {d.day} 日"


def _fmt_score(score):
    if score is None:
        return ""
    text = f"{score:.2f}".rstrip("0").rstrip(".")
    return text


def pdf_data(cert, request=None, *, url=None):
    """What the certificate's page says (plain data for officers.certpdf.render)."""
    if cert.kind == CERT_QUALIFICATION:
        line = f"经培训考核合格，取得{cert.subject}。"
    elif cert.kind == CERT_EXAM:
        line = f"参加“{cert.subject}”，考试合格。"
    else:
        line = f"完成“{cert.subject}”全部学习内容，准予结业。"
    rows = []
    if cert.score is not None:
        rows.append(("成　　绩", f"{_fmt_score(cert.score)} 分"))
    rows.append(("发证日期", _fmt_date(cert.issued_at)))
    rows.append(("有效期至", _fmt_date(cert.valid_until) if cert.valid_until else "长期有效"))
    rows.append(("证书编号", cert.number or ""))
    rows.append(("查 验 码", cert.code))
    url = url or verification_url(cert.code, request)
    return {
        "doc_title": f"{TITLES[cert.kind]} {cert.number}",
        "bureau": settings.ACADEMY_BUREAU_NAME,
        "subject": cert.subject,
        "creator": "执法学堂",
        "title": TITLES[cert.kind],
        "holder_line": f"兹证明  {cert.holder_name}  同志",
        "unit_line": f"单位：{cert.unit_name}",
        "achievement": line,
        "rows": rows,
        "url": url,
        "qr_caption": "扫码查验证书真伪",
        "footer": [f"查验网址：{url}", "证书状态以查验结果为准。"],
        "seal": "培训考核专用",
    }


def render_pdf(cert, request=None, *, url=None):
    """The certificate as a landscape A4 PDF (bytes)."""
    return certpdf.render(pdf_data(cert, request, url=url))


def pdf_filename(cert):
    return f"{cert.number}.pdf"


# --- Bulk download -------------------------------------------------------------------


class _Sink:
    """A write-only, non-seekable stream that hands its bytes to a generator."""

    def __init__(self):
        self._chunks = []
        self._pos = 0

    def write(self, data):
        self._chunks.append(bytes(data))
        self._pos += len(data)
        return len(data)

    def tell(self):
        return self._pos

    def flush(self):
        pass

    def take(self):
        data = b"".join(self._chunks)
        self._chunks = []
        return data


#: Certificates per task sent to a rendering process.
RENDER_BATCH = 16


def _render_processes(count):
    """How many worker processes render a bulk download of ``count`` certificates
    (settings.CERTIFICATE_RENDER_PROCESSES, default: the CPU count, at most 4;
    small downloads render in the request's own process)."""
    configured = getattr(settings, "CERTIFICATE_RENDER_PROCESSES", None)
    workers = int(configured) if configured is not None else min(os.cpu_count() or 1, 4)
    if workers <= 1 or count < getattr(settings, "CERTIFICATE_PARALLEL_MIN", 200):
        return 0
    return workers


def _rendered(certificates, request, workers):
    """(name in the archive, PDF bytes) per certificate, in the queryset's order.

    With workers, PDFs are rendered by that many processes of a pool started
    through the "forkserver" method: they start clean (no copy of the web
    process, its threads or its database connections) and import only
    officers.certpdf. At most a few batches per worker are in flight, so memory
    stays flat whatever the size of the download."""
    items = ((f"{cert.number}_{cert.holder_name}.pdf", pdf_data(cert, request))
             for cert in certificates.iterator(chunk_size=500))
    if not workers:
        for name, data in items:
            yield name, certpdf.render(data)
        return
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["officers.certpdf"])
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        pending = collections.deque()
        while True:
            batch = list(itertools.islice(items, RENDER_BATCH))
            if batch:
                pending.append(pool.submit(certpdf.render_many, batch))
            if pending and (not batch or len(pending) >= 3 * workers):
                yield from pending.popleft().result()
            if not batch and not pending:
                break


def stream_zip(certificates, request=None, *, workers=None):
    """Yield a ZIP archive of the certificates' PDFs piece by piece: memory stays
    flat however many certificates there are (the queryset is iterated in chunks,
    rendering runs a few batches ahead of the download at most)."""
    if workers is None:
        workers = _render_processes(certificates.count())
    sink = _Sink()
    when = time.localtime()[:6]
    with zipfile.ZipFile(sink, mode="w", compression=zipfile.ZIP_STORED, allowZip64=True) as zf:
        for name, pdf in _rendered(certificates, request, workers):
            info = zipfile.ZipInfo(name, date_time=when)
            info.compress_type = zipfile.ZIP_STORED
            zf.writestr(info, pdf)
            chunk = sink.take()
            if chunk:
                yield chunk
    tail = sink.take()
    if tail:
        yield tail
