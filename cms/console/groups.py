"""Who gets into the console and what each group sees there.

"Regulators" (every regulator account joins it: marketplace.accounts.services.create_regulator)
reviews qualifications, decides objections, reads organizations and the audit log, supervises
credit (exit, blacklist, complaints, cases, red flags, inspections, credit events), chooses the
contract template, keeps the holiday calendar and the service-item catalogue's terms. "Editors"
(Wagtail's own group) edits and translates the site's pages, images and documents. Both may
open the Wagtail admin; nobody else has `wagtailadmin.access_admin` (superusers aside).
The services re-check the regulator role whatever the permissions say.
"""

REGULATORS = "Regulators"
EDITORS = "Editors"

PERMISSIONS = {
    REGULATORS: [
        ("wagtailadmin", "admin", "access_admin"),
        ("providers", "qualification", "view_qualification"),
        ("providers", "qualification", "change_qualification"),
        ("bidding", "objection", "view_objection"),
        ("bidding", "objection", "change_objection"),
        ("accounts", "organization", "view_organization"),
        # Changing an organization's name (cms.console.accounts_views).
        ("accounts", "organizationnamechange", "view_organizationnamechange"),
        ("accounts", "organizationnamechange", "add_organizationnamechange"),
        ("audit", "auditentry", "view_auditentry"),
        # Credit supervision (cms.console.ratings_views) and reference texts.
        ("ratings", "marketexit", "add_marketexit"),
        ("ratings", "blacklistentry", "view_blacklistentry"),
        ("ratings", "blacklistentry", "change_blacklistentry"),
        ("ratings", "complaint", "view_complaint"),
        ("ratings", "complaint", "change_complaint"),
        ("ratings", "violationcase", "view_violationcase"),
        ("ratings", "violationcase", "change_violationcase"),
        # Red flags (cms.console.redflags_views): read, compute now, dismiss.
        ("ratings", "redflag", "view_redflag"),
        ("ratings", "redflag", "change_redflag"),
        ("ratings", "inspectionplan", "view_inspectionplan"),
        ("ratings", "inspectionplan", "change_inspectionplan"),
        ("ratings", "creditevent", "view_creditevent"),
        ("ratings", "creditevent", "add_creditevent"),
        ("contracts", "contracttemplate", "view_contracttemplate"),
        ("contracts", "contracttemplate", "change_contracttemplate"),
        ("contracts", "contract", "view_contract"),
        # The service-item catalogue's published terms (cms.console.catalog_views).
        ("catalog", "serviceitem", "view_serviceitem"),
        ("catalog", "serviceitem", "change_serviceitem"),
        ("catalog", "calendaryear", "view_calendaryear"),
        ("catalog", "calendaryear", "add_calendaryear"),
        ("catalog", "calendaryear", "change_calendaryear"),
        ("catalog", "calendaryear", "delete_calendaryear"),
        ("catalog", "calendarday", "view_calendarday"),
        ("catalog", "calendarday", "add_calendarday"),
        ("catalog", "calendarday", "change_calendarday"),
        ("catalog", "calendarday", "delete_calendarday"),
    ],
    EDITORS: [
        ("wagtailadmin", "admin", "access_admin"),
        ("simple_translation", "simpletranslation", "submit_translation"),
        ("wagtailimages", "image", "add_image"),
        ("wagtailimages", "image", "change_image"),
        ("wagtailimages", "image", "choose_image"),
        ("wagtaildocs", "document", "add_document"),
        ("wagtaildocs", "document", "change_document"),
        ("wagtaildocs", "document", "choose_document"),
    ],
}
# Page permissions of the editors on the whole tree (from the tree's root down).
EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")


def sync(apps) -> None:
    """Create both groups and grant what they need; adds only, never removes (an
    administrator's additions stay). Works with historical models in a migration."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        for app_label, _model, codename in wanted:
            permission = Permission.objects.filter(content_type__app_label=app_label,
                                                   codename=codename).first()
            if permission is not None:
                group.permissions.add(permission)
    editors = Group.objects.get(name=EDITORS)
    try:
        GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
        Page = apps.get_model("wagtailcore", "Page")
    except LookupError:
        return
    root = Page.objects.filter(depth=1).order_by("path").first()
    if root is None:
        return
    for codename in EDITOR_PAGE_PERMISSIONS:
        permission = Permission.objects.filter(content_type__app_label="wagtailcore",
                                               codename=codename).first()
        if permission is not None:
            GroupPagePermission.objects.get_or_create(group=editors, page=root,
                                                      permission=permission)
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Collection = apps.get_model("wagtailcore", "Collection")
    collection = Collection.objects.filter(depth=1).order_by("path").first()
    if collection is None:
        return
    for app_label, codename in (("wagtailimages", "add_image"), ("wagtailimages", "change_image"),
                                ("wagtailimages", "choose_image"),
                                ("wagtaildocs", "add_document"), ("wagtaildocs", "change_document"),
                                ("wagtaildocs", "choose_document")):
        permission = Permission.objects.filter(content_type__app_label=app_label,
                                               codename=codename).first()
        if permission is not None:
            GroupCollectionPermission.objects.get_or_create(
                group=editors, collection=collection, permission=permission)


def sync_after_migrate(sender, *, apps=None, **kwargs) -> None:
    """post_migrate, once every app's permissions exist (the last app's signal)."""
    from django.apps import apps as live_apps

    # Django sends post_migrate only for apps with a models module.
    with_models = [config for config in live_apps.get_app_configs()
                   if config.models_module is not None]
    if not with_models or sender is not with_models[-1]:
        return
    sync(apps or live_apps)

