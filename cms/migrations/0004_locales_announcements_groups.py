"""The English content locale, the announcement index under the home page (/announcements/,
a stable URL), and the console's groups with their permissions."""

from django.db import migrations

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEPLEN = 4


def _next_child_path(parent, Page) -> str:
    last = (Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
            .order_by("-path").values_list("path", flat=True).first())
    if last is None:
        return parent.path + "0001"
    step = last[-STEPLEN:]
    value = 0
    for char in step:
        value = value * 36 + ALPHABET.index(char)
    value += 1
    digits = ""
    for _ in range(STEPLEN):
        value, rest = divmod(value, 36)
        digits = ALPHABET[rest] + digits
    return parent.path + digits


def forwards(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    from cms.console.groups import sync

    Locale = apps.get_model("wagtailcore", "Locale")
    Page = apps.get_model("wagtailcore", "Page")
    ContentType = apps.get_model("contenttypes", "ContentType")
    HomePage = apps.get_model("cms", "HomePage")
    AnnouncementIndexPage = apps.get_model("cms", "AnnouncementIndexPage")

    Locale.objects.get_or_create(language_code="en")

    home = HomePage.objects.order_by("path").first()
    if home is not None and not AnnouncementIndexPage.objects.exists():
        content_type, _ = ContentType.objects.get_or_create(app_label="cms",
                                                            model="announcementindexpage")
        AnnouncementIndexPage.objects.create(
            title="公告", draft_title="公告", slug="announcements", content_type=content_type,
            path=_next_child_path(home, Page), depth=home.depth + 1, numchild=0,
            url_path=f"{home.url_path}announcements/", locale_id=home.locale_id,
            show_in_menus=True, live=True,
            intro="<p>平台自动发布的采购公告、答疑公告、开标结果、中选公示、结果公告、"
                  "终止公告、黑名单公告和抽查结果。</p>",
        )
        Page.objects.filter(pk=home.pk).update(numchild=home.numchild + 1)

    # Permissions are normally created after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0003_site_pages"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("simple_translation", "0001_initial"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("providers", "0001_initial"),
        ("bidding", "0001_initial"),
        ("audit", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
