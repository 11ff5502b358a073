"""Which notices a user may stop receiving by e-mail (the inbox always gets everything).

A notification's `kind` is "<area>.<event>" (`bidding.opened`, `ratings.blacklisted`, …). A
preference names either one event kind or a whole area; the most precise one that exists
decides. Kinds under no preference here (the sign-in security alerts) are always e-mailed."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EmailKind(models.TextChoices):
    NEW_PROJECTS = "bidding.new_project", _("New projects for the services you offer")
    BIDDING = "bidding", _("Your projects and bids: questions, opening, awards, objections")
    SAVED_SEARCHES = "saved_search", _("New projects matching your saved searches")
    CONTRACTS = "contracts", _("Contracts: signing, delivery, acceptance")
    PAYMENTS = "payments", _("Payments and payouts")
    QUALIFICATIONS = "qualification", _("Qualification reviews")
    RATINGS = "ratings", _("Credit: ratings, complaints, cases and sanctions")
    ACCOUNT = "accounts", _("Your organization's account")


def preference_key(kind: str) -> str | None:
    """The preference that decides whether a notification of `kind` is e-mailed, or None when
    none does (always e-mailed)."""
    if kind in EmailKind.values:
        return kind
    area = kind.split(".", 1)[0]
    return area if area in EmailKind.values else None
