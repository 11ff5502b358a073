from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    label = "cms"
    verbose_name = _("Site")

    def ready(self):
        from django.db.models.signals import post_delete, post_migrate, post_save
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from bidding.signals import project_event
        from cms import menu, receivers
        from cms.console import groups
        from cms.console.csp import console_without_inline_scripts
        from cms.console.exports import make_csv_exports_safe
        from ratings.signals import ratings_event

        project_event.connect(receivers.on_project_event, dispatch_uid="cms.announcements")
        ratings_event.connect(receivers.on_ratings_event, dispatch_uid="cms.ratings_announcements")
        make_csv_exports_safe()
        console_without_inline_scripts()
        post_migrate.connect(groups.sync_after_migrate, dispatch_uid="cms.console_groups")
        for signal in (post_save, post_delete, page_published, page_unpublished):
            signal.connect(menu.clear_on_page_change, dispatch_uid=f"cms.menu.{id(signal)}")
        post_page_move.connect(menu.clear, dispatch_uid="cms.menu.move")
