"""The admin form for uploaded documents (WAGTAILDOCS_DOCUMENT_FORM_BASE).

Lesson attachments and videos are documents. Besides Wagtail's own checks
(allowed extensions, WAGTAILDOCS_MAX_UPLOAD_SIZE, which is the video limit),
a file is refused when it is larger than its kind allows or when its leading
bytes are not those of the format its extension claims (a program renamed to
.pdf, for instance). Both the single and the multiple upload views use it."""
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from wagtail.documents.forms import BaseDocumentForm

MB = 1024 * 1024
#: Largest video (MP4) and largest other document.
MAX_VIDEO_SIZE = 500 * MB
MAX_DOCUMENT_SIZE = 50 * MB

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy Office (.doc, .xls, .ppt)
_ZIP = b"PK\x03\x04"  # Office Open XML (.docx, .xlsx, .pptx)


def _is_mp4(head):
    return head[4:8] == b"ftyp"


#: Extension → test of the file's first bytes.
SIGNATURES = {
    "pdf": lambda head: head.startswith(b"%PDF-"),
    "mp4": _is_mp4,
    "doc": lambda head: head.startswith(_OLE2),
    "xls": lambda head: head.startswith(_OLE2),
    "ppt": lambda head: head.startswith(_OLE2),
    "docx": lambda head: head.startswith(_ZIP),
    "xlsx": lambda head: head.startswith(_ZIP),
    "pptx": lambda head: head.startswith(_ZIP),
}


def extension(name):
    return name.rpartition(".")[2].lower() if "." in name else ""


def check_upload(uploaded):
    """Raise ValidationError (in Chinese) when the file is too large for its kind
    or its content does not match its extension."""
    ext = extension(uploaded.name)
    if ext == "mp4":
        limit, message = MAX_VIDEO_SIZE, _("视频文件过大（%(size)s），最大 %(limit)s。")
    else:
        limit, message = MAX_DOCUMENT_SIZE, _("文件过大（%(size)s），文档最大 %(limit)s。")
    if uploaded.size > limit:
        raise ValidationError(
            message % {"size": filesizeformat(uploaded.size), "limit": filesizeformat(limit)},
            code="file_too_large",
        )
    signature = SIGNATURES.get(ext)
    if signature is None:
        return
    position = uploaded.tell()
    uploaded.seek(0)
    head = uploaded.read(16)
    uploaded.seek(position)
    if not signature(head):
        raise ValidationError(
            _("文件内容与扩展名 .%(ext)s 不符，可能是改了扩展名的其他文件，已拒绝上传。") % {"ext": ext},
            code="content_mismatch",
        )


class SafeDocumentForm(BaseDocumentForm):
    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded and "file" in self.changed_data:
            check_upload(uploaded)
        return uploaded
