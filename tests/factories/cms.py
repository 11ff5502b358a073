"""Site pages for the cms tests: a notice index with notices, help pages, English copies."""

from wagtail.models import Locale, Page

from cms.models import HelpPage, HomePage, NoticeIndexPage, NoticePage


def home() -> HomePage:
    return HomePage.objects.get(locale=Locale.get_default())


def add_page(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def notice_index(*, title="通知公告", slug="notices", show_in_menus=True) -> NoticeIndexPage:
    return add_page(home(), NoticeIndexPage(title=title, slug=slug, show_in_menus=show_in_menus))


def notice(index: NoticeIndexPage, *, title: str, summary: str = "", text: str = "",
           date=None) -> NoticePage:
    page = NoticePage(title=title, summary=summary,
                      body=[("paragraph", f"<p>{text}</p>")] if text else [])
    if date is not None:
        page.date = date
    return add_page(index, page)


def help_page(parent: Page, *, title: str, slug: str, summary: str = "", text: str = "",
              show_in_menus: bool = False) -> HelpPage:
    return add_page(parent, HelpPage(title=title, slug=slug, summary=summary,
                                     show_in_menus=show_in_menus,
                                     body=[("paragraph", f"<p>{text}</p>")] if text else []))


def translate(page: Page, *, language: str = "en", **fields) -> Page:
    """An English (or other) translation of `page`, published, its parents translated as
    aliases when they are not yet."""
    locale, _created = Locale.objects.get_or_create(language_code=language)
    copy = page.specific.copy_for_translation(locale, copy_parents=True)
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.save_revision().publish()
    return copy.specific_class.objects.get(pk=copy.pk)
