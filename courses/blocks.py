"""StreamField blocks of a lesson body (LessonStreamBlock)."""
from django.core.exceptions import ValidationError
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

from .choosers import article_chooser_viewset
from .markdown_render import render_markdown

ArticleChooserBlock = article_chooser_viewset.get_block_class(name="ArticleChooserBlock",
                                                              module_path="courses.blocks")


class MarkdownBlock(blocks.TextBlock):
    """Markdown text, rendered and sanitised by an allow-list; statute citations are linked."""

    def render_basic(self, value, context=None):
        return mark_safe(render_markdown(value))  # noqa: S308 — sanitised by nh3 in render_markdown

    def get_searchable_content(self, value):
        return [value or ""]

    class Meta:
        icon = "pilcrow"
        label = _("Markdown 正文")
        rows = 12
        help_text = _("支持 Markdown：## 小标题、**加粗**、- 列表、> 引用、表格。法条引用（如《中华人民共和国行政处罚法》第三十三条）会自动链接。")
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
