"""The certificate page, drawn with reportlab from plain data.

Nothing here touches Django: ``render`` takes a dict of the texts to print
(``officers.certificates.pdf_data`` makes it from a Certificate), so that a
bulk download can render in worker processes that never import the project.

The PDF embeds a subset of WenQuanYi Micro Hei (officers/fonts/, Apache-2.0),
a TrueType font, so it renders the same on a machine without Chinese fonts.
The QR code is encoded with reportlab's own barcode module
(reportlab.graphics.barcode.qrencoder) and drawn as one path.
"""
import io
from functools import lru_cache
from pathlib import Path

from reportlab import rl_config
from reportlab.graphics.barcode import qrencoder
from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdfcanvas

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FILE = FONT_DIR / "wqy-microhei.ttc"
FONT_NAME = "AcademyCJK"


@lru_cache(maxsize=1)
def register_font():
    """Parse and register the CJK TrueType font once per process."""
    # Binary (not ASCII85) streams: smaller files, and ~10% faster to write.
    rl_config.useA85 = 0
    pdfmetrics.registerFont(TTFont(FONT_NAME, str(FONT_FILE), subfontIndex=0))
    return FONT_NAME


@lru_cache(maxsize=1)
def _qrencoder():
    """reportlab's QR encoder, with its Reed-Solomon generator polynomials
    cached: they depend only on the block's error-correction length, and
    rebuilding them for every code is most of the encoding time."""
    original = qrencoder.QRUtil.getErrorCorrectPolynomial
    if not getattr(original, "cached", False):
        cached = lru_cache(maxsize=64)(original)
        cached.cached = True
        qrencoder.QRUtil.getErrorCorrectPolynomial = staticmethod(cached)
    return qrencoder


def qr_matrix(text):
    """QR modules (list of rows of bools) from reportlab's encoder, error
    correction level M. A fixed mask pattern keeps encoding fast (scoring all
    eight masks costs ~15 ms); every mask is valid for readers."""
    qrencoder = _qrencoder()
    qr = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    qr.addData(text)
    qr.version = qr.calculate_version()
    qr.makeImpl(False, 2)
    return qr.modules


def qr_svg_path(text, quiet=2):
    """(side, path) of a QR code of ``text`` for an inline SVG: ``side`` modules with a
    quiet zone, ``path`` one rectangle per run of dark modules (viewBox 0 0 side side)."""
    modules = qr_matrix(text)
    n = len(modules)
    parts = []
    for r, row in enumerate(modules):
        c = 0
        while c < n:
            if row[c]:
                start = c
                while c < n and row[c]:
                    c += 1
                parts.append(f"M{start + quiet} {r + quiet}h{c - start}v1h-{c - start}z")
            else:
                c += 1
    return n + 2 * quiet, "".join(parts)


def draw_qr(canvas, text, x, y, size):
    """Draw a QR code of ``text`` inside (x, y, size, size): one run of dark
    modules is one rectangle, written in module units under a scaling matrix,
    so the page content stays small and fast to produce."""
    modules = qr_matrix(text)
    n = len(modules)
    quiet = 2
    box = size / (n + 2 * quiet)
    ops = [f"q 0 g {box:.4f} 0 0 {box:.4f} {x + quiet * box:.2f} {y + quiet * box:.2f} cm"]
    for r, row in enumerate(modules):
        c = 0
        y_row = n - 1 - r
        while c < n:
            if row[c]:
                start = c
                while c < n and row[c]:
                    c += 1
                ops.append(f"{start} {y_row} {c - start} 1 re")
            else:
                c += 1
    ops.append("f Q")
    canvas.addLiteral("\n".join(ops))


def render(data):
    """The certificate as a landscape A4 PDF (bytes).

    ``data``: bureau, title, holder_name, unit_name, achievement (the sentence
    of what was achieved), rows ([label, value] pairs: score, dates, number,
    code), url (verification), qr_caption, footer (lines), seal, subject,
    creator."""
    font = register_font()
    buf = io.BytesIO()
    width, height = landscape(A4)
    c = pdfcanvas.Canvas(buf, pagesize=(width, height), initialFontName=font, initialFontSize=12,
                         pageCompression=1)
    c.setTitle(data["doc_title"])
    c.setAuthor(data["bureau"])
    c.setSubject(data["subject"])
    c.setCreator(data["creator"])
    red = Color(0.70, 0.10, 0.10)
    # Frame.
    c.setStrokeColor(red)
    c.setLineWidth(3)
    c.rect(24, 24, width - 48, height - 48)
    c.setLineWidth(0.8)
    c.rect(32, 32, width - 64, height - 64)
    # Heading.
    c.setFillColor(red)
    c.setFont(font, 20)
    c.drawCentredString(width / 2, height - 90, data["bureau"])
    c.setFont(font, 38)
    c.drawCentredString(width / 2, height - 145, data["title"])
    # Body.
    c.setFillColorRGB(0.1, 0.1, 0.1)
    left = 90
    c.setFont(font, 17)
    c.drawString(left, height - 210, data["holder_line"])
    c.setFont(font, 13)
    c.drawString(left, height - 236, data["unit_line"])
    c.setFont(font, 16)
    c.drawString(left, height - 272, data["achievement"])
    c.setFont(font, 13)
    y = height - 318
    for label, value in data["rows"]:
        c.drawString(left, y, f"{label}：{value}")
        y -= 24
    # QR code and how to verify.
    qr_size = 128
    qx, qy = width - 90 - qr_size, 70
    draw_qr(c, data["url"], qx, qy + 14, qr_size)
    c.setFont(font, 9)
    c.drawCentredString(qx + qr_size / 2, qy + 2, data["qr_caption"])
    c.setFillColorRGB(0.35, 0.35, 0.35)
    footer_y = 66
    for line in data["footer"]:
        c.drawString(left, footer_y, line)
        footer_y -= 14
    # Seal-like mark.
    c.setStrokeColor(red)
    c.setFillColor(red)
    c.setLineWidth(2)
    c.circle(width - 300, 140, 52, stroke=1, fill=0)
    c.setFont(font, 11)
    c.drawCentredString(width - 300, 136, data["seal"])
    c.showPage()
    c.save()
    return buf.getvalue()


def render_many(items):
    """[(name, data)] → [(name, PDF bytes)]: one task of a bulk download's worker."""
    return [(name, render(data)) for name, data in items]
