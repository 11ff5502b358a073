"""The events an organization may subscribe its webhook endpoints to (API.md "Added in round
2"). Apps announce them through `marketplace.webhooks.services.emit`; the kernel never imports
an app to learn them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    PROJECT_PUBLISHED = "project.published", _("A project in our service scope is published")
    BID_OPENED = "bid.opened", _("Our bid is opened (its result)")
    AWARD_PROPOSED = "award.proposed", _("An award is proposed")
    AWARD_FINAL = "award.final", _("An award becomes final")
    CONTRACT_SIGNED = "contract.signed", _("A party signs our contract")
    CONTRACT_ACTIVE = "contract.active", _("Our contract comes into force")
    CONTRACT_TERMINATED = "contract.terminated", _("Our contract is terminated")
    RATING_RECEIVED = "rating.received", _("We receive a rating")
    SANCTION_LISTED = "sanction.listed", _("We are blacklisted")
    SANCTION_LIFTED = "sanction.lifted", _("Our blacklisting is lifted or ends")
