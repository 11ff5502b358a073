"""Files attached to a project (its documents), a bid (sealed with it) and an objection."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from marketplace.files import CheckedFile


class ProjectAttachment(CheckedFile):
    """A document of the announcement: public once the project is published."""

    upload_folder = "projects"
    project = models.ForeignKey("bidding.Project", on_delete=models.CASCADE,
                                related_name="attachments")

    class Meta(CheckedFile.Meta):
        verbose_name = _("project document")
        verbose_name_plural = _("project documents")


class BidAttachment(CheckedFile):
    """Part of a sealed bid: readable by the bidding agency, and by others only after opening,
    like the bid itself. Its SHA-256 (of the plaintext) is part of the bid's receipt."""

    upload_folder = "bids"
    bid = models.ForeignKey("bidding.Bid", on_delete=models.CASCADE, related_name="attachments")
    # The stored file is AES-GCM ciphertext under the project's data key (bidding.sealing);
    # `size` and `sha256` are the plaintext's. Downloads decrypt it.
    sealed = models.BooleanField(default=False)

    class Meta(CheckedFile.Meta):
        verbose_name = _("bid attachment")
        verbose_name_plural = _("bid attachments")


class ObjectionAttachment(CheckedFile):
    """Evidence filed with an objection: readable by whoever may read the objection."""

    upload_folder = "objections"
    objection = models.ForeignKey("bidding.Objection", on_delete=models.CASCADE,
                                  related_name="attachments")

    class Meta(CheckedFile.Meta):
        verbose_name = _("objection attachment")
        verbose_name_plural = _("objection attachments")
