"""StreamField blocks: editorial content (rich text, documents, tables, images) and the home
page's live blocks, which read the market at render time (nothing is copied into the page)."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

from cms import selectors


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    caption = blocks.CharBlock(label=_("caption"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("document")
        template = "cms/blocks/document.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    caption = blocks.CharBlock(label=_("caption"), required=False)

    class Meta:
        icon = "image"
        label = _("image")
        template = "cms/blocks/image.html"


class TableWithCaption(blocks.StructBlock):
    caption = blocks.CharBlock(label=_("caption"), required=False)
    table = TableBlock(label=_("table"), table_options={"startRows": 3, "startCols": 3})

    class Meta:
        icon = "table"
        label = _("table")
        template = "cms/blocks/table.html"


class ContentBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(label=_("heading"), form_classname="title",
                               template="cms/blocks/heading.html")
    paragraph = blocks.RichTextBlock(label=_("text"))
    document = DocumentBlock()
    table = TableWithCaption()
    image = ImageBlock()


# --- Live blocks of the home page ----------------------------------------------------------------

class LiveBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), required=False,
                               help_text=_("Leave empty for the default, translated heading."))
    count = blocks.IntegerBlock(label=_("how many"), default=6, min_value=1, max_value=20)

    default_heading = ""

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["heading"] = value.get("heading") or self.default_heading
        context["items"] = self.items(value.get("count") or 6)
        return context

    def items(self, count: int):
        """The live objects to show; each concrete block says which (this base is abstract)."""
        raise TypeError(f"{type(self).__name__} must define items(count)")


class LatestAnnouncementsBlock(LiveBlock):
    default_heading = _("Latest announcements")

    def items(self, count):
        return selectors.latest_announcements(limit=count)

    class Meta:
        icon = "list-ul"
        label = _("latest announcements")
        template = "cms/blocks/latest_announcements.html"


class ClosingProjectsBlock(LiveBlock):
    default_heading = _("Projects closing soon")

    def items(self, count):
        return selectors.projects_closing_soon(limit=count)

    class Meta:
        icon = "time"
        label = _("projects closing soon")
        template = "cms/blocks/closing_projects.html"


class NewAgenciesBlock(LiveBlock):
    default_heading = _("Newly registered agencies")

    def items(self, count):
        return selectors.new_agencies(limit=count)

    class Meta:
        icon = "group"
        label = _("newly registered agencies")
        template = "cms/blocks/new_agencies.html"


class MarketFiguresBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), required=False,
                               help_text=_("Leave empty for the default, translated heading."))

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["heading"] = value.get("heading") or _("Market figures")
        context["figures"] = selectors.market_figures()
        return context

    class Meta:
        icon = "pick"
        label = _("market figures")
        template = "cms/blocks/market_figures.html"


class HomeBlock(blocks.StreamBlock):
    market_figures = MarketFiguresBlock()
    latest_announcements = LatestAnnouncementsBlock()
    closing_projects = ClosingProjectsBlock()
    new_agencies = NewAgenciesBlock()
    text = blocks.RichTextBlock(label=_("text"))
