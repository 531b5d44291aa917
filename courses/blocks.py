"""StreamField blocks of a lesson body (LessonStreamBlock)."""
import json

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.staticfiles import versioned_static
from wagtail.admin.widgets import AdminAutoHeightTextInput
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

from .choosers import article_chooser_viewset
from .markdown_render import render_markdown

ArticleChooserBlock = article_chooser_viewset.get_block_class(name="ArticleChooserBlock",
                                                              module_path="courses.blocks")


class MarkdownEditor(AdminAutoHeightTextInput):
    """The Markdown text box with a formatting toolbar and a live preview (courses/markdown-editor.js).

    The preview is rendered by the server (``courses:markdown_preview``) through
    ``render_markdown``, the renderer and sanitiser of the lesson page itself; the 法条引用
    button inserts the citation of an article chosen in the statute chooser."""

    template_name = "courses/widgets/markdown_editor.html"
    #: Words the toolbar inserts when nothing is selected, and the preview's status messages.
    messages = {
        "bold": _("加粗文字"), "italic": _("斜体文字"), "heading": _("小标题"), "list": _("列表项"),
        "quote": _("引用文字"), "link": _("链接文字"), "updating": _("（正在更新…）"), "failed": _("（预览失败）"),
        "offline": _("（预览失败，请检查网络后重试）"),
    }

    def __init__(self, attrs=None):
        super().__init__({"data-academy-markdown-target": "input",
                          "data-action": "input->academy-markdown#schedule keydown->academy-markdown#shortcut",
                          **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["preview_url"] = reverse("courses:markdown_preview")
        context["chooser_url"] = reverse(f"{article_chooser_viewset.name}:choose")
        context["messages"] = json.dumps({key: str(text) for key, text in self.messages.items()}, ensure_ascii=False)
        return context

    @property
    def media(self):
        return forms.Media(
            js=[versioned_static("wagtailadmin/js/modal-workflow.js"),
                versioned_static("wagtailadmin/js/chooser-modal.js"), "courses/markdown-editor.js"],
            css={"all": ["casebank/casebank.css", "courses/markdown-editor.css"]},
        )


class MarkdownBlock(blocks.TextBlock):
    """Markdown text, rendered and sanitised by an allow-list; statute citations are linked."""

    @cached_property
    def field(self):
        return forms.CharField(widget=MarkdownEditor(attrs={"rows": self.rows}), **self.field_options)

    def render_basic(self, value, context=None):
        return mark_safe(render_markdown(value))  # noqa: S308 — sanitised by nh3 in render_markdown

    def get_searchable_content(self, value):
        return [value or ""]

    class Meta:
        icon = "pilcrow"
        label = _("Markdown 正文")
        rows = 12
        help_text = _("支持 Markdown：## 小标题、**加粗**、- 列表、> 引用、表格，可用上方按钮插入。法条引用（如《中华人民共和国行政处罚法》第三十三条）"
                      "会自动链接；下方预览与学员看到的一致。")
        preview_value = "## 小标题\n正文，引用《中华人民共和国行政处罚法》第三十三条。"
        description = _("课时正文，支持小标题、列表、表格和法条引用。")


class ArticleBlock(blocks.StructBlock):
    """A statute article from the statute library: its text and a link to it."""

    article = ArticleChooserBlock(label=_("法条"))
    note = blocks.TextBlock(label=_("教学提示"), required=False)

    class Meta:
        icon = "doc-full-inverse"
        label = _("法条")
        template = "blocks/article_block.html"
        description = _("从法规库选择一条法条，显示条文全文和链接。")


class CaseBlock(blocks.StructBlock):
    """A case from the case bank: a summary card and a link."""

    case = blocks.PageChooserBlock(label=_("案例"), page_type="casebank.CasePage")
    note = blocks.TextBlock(label=_("研讨提示"), required=False)

    class Meta:
        icon = "folder-open-inverse"
        label = _("案例")
        template = "blocks/case_block.html"
        description = _("从案例库选择一个案例，显示摘要卡片和链接。")


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("图片"))
    caption = blocks.CharBlock(label=_("图注"), required=False, max_length=200)

    class Meta:
        icon = "image"
        label = _("图片")
        template = "blocks/image_block.html"
        description = _("一张图片，可加图注。")


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("文件"))
    title = blocks.CharBlock(label=_("显示名称"), required=False, max_length=200)

    class Meta:
        icon = "doc-full"
        label = _("附件（PDF）")
        template = "blocks/document_block.html"
        description = _("供下载的附件，如 PDF 讲义或文书范本。")


class VideoBlock(blocks.StructBlock):
    """A video uploaded as a document (served from this site) or a link to one."""

    video = DocumentChooserBlock(label=_("视频文件"), required=False,
                                 help_text=_("MP4 视频，最大 500 MB。大文件请先在后台“文档 → 添加文档”上传到“课程资料”（显示上传进度），再在此选择。"))
    url = blocks.URLBlock(label=_("或视频链接"), required=False)
    caption = blocks.CharBlock(label=_("说明"), required=False, max_length=200)

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("video")) == bool(value.get("url")):
            raise StructBlockValidationError(block_errors={
                "url": ValidationError(_("请选择一个视频文件或填写一个视频链接（二选一）。"), code="video_source"),
            })
        return value

    class Meta:
        icon = "media"
        label = _("视频")
        template = "blocks/video_block.html"
        description = _("本站上传的视频，或外部视频链接。")


class SelfCheckOptionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("选项"), max_length=300)
    correct = blocks.BooleanBlock(label=_("正确答案"), required=False)


class SelfCheckBlock(blocks.StructBlock):
    """A practice question: the reader answers, feedback is shown at once, nothing is graded or stored."""

    question = blocks.TextBlock(label=_("题目"))
    options = blocks.ListBlock(SelfCheckOptionBlock(), label=_("选项"), min_num=2, max_num=8)
    explanation = blocks.TextBlock(label=_("解析"), required=False)

    def clean(self, value):
        value = super().clean(value)
        if sum(1 for o in value["options"] if o["correct"]) != 1:
            raise StructBlockValidationError(block_errors={
                "options": ValidationError(_("请恰好勾选一个正确答案。"), code="one_correct_option"),
            })
        return value

    class Meta:
        icon = "help"
        label = _("随堂自测")
        template = "blocks/self_check_block.html"
        description = _("练习题：学员作答后立即看到反馈，不计分。")


class OnsiteNoteBlock(blocks.StructBlock):
    location = blocks.CharBlock(label=_("地点"), required=False, max_length=200)
    note = blocks.TextBlock(label=_("现场教学要点"))

    class Meta:
        icon = "site"
        label = _("现场教学提示")
        template = "blocks/onsite_note_block.html"
        description = _("现场教学的地点与要点。")


class LessonStreamBlock(blocks.StreamBlock):
    markdown = MarkdownBlock()
    article = ArticleBlock()
    case = CaseBlock()
    image = ImageBlock()
    document = DocumentBlock()
    video = VideoBlock()
    self_check = SelfCheckBlock()
    onsite_note = OnsiteNoteBlock()
