from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class AuditEntry(models.Model):
    """One link of the append-only, hash-chained audit log (DESIGN §4 "Audit").

    The log is a set of chains, one per stream (a project, its sealed bids, a contract, an
    organization, the market): unrelated writes no longer queue behind one lock. `hash` =
    sha256(canonical JSON of the entry + `prev_hash`); `(stream, stream_seq)` and `prev_hash` are
    unique, so a chain cannot fork. Signed checkpoints (`AuditCheckpoint`) anchor every stream's
    head in one public, chained root. Entries written before streams existed keep their global
    `seq` and their hash over it (stream "market").
    """

    seq = models.PositiveBigIntegerField(_("sequence"), unique=True, null=True, blank=True)
    stream = models.CharField(_("stream"), max_length=80, default="market")
    stream_seq = models.PositiveBigIntegerField(_("position in its stream"))
    created_at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True)
    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64, unique=True)
    hash = models.CharField(max_length=64, unique=True)
    # The project whose opening unseals this entry (bid entries: who bid is secret until the
    # opening, regulators included). A plain id, not a foreign key: the kernel does not know
    # bidding's models; bidding answers which projects are opened (`audit.selectors`). Outside
    # the hash: it indexes what the hashed `data["project"]` already says, and filling it for
    # entries written before it existed must not break the chain.
    sealed_project_id = models.PositiveBigIntegerField(
        _("sealed until the opening of project"), null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["object_type", "object_id"])]
        constraints = [models.UniqueConstraint(fields=["stream", "stream_seq"],
                                               name="audit_one_entry_per_stream_position")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_type}:{self.object_id}"


class StreamHead(models.Model):
    """The last entry of one stream; its row lock serializes appends to that stream only,
    held from the append to the commit."""

    stream = models.CharField(max_length=80, unique=True)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit stream head")

    def __str__(self) -> str:
        return f"{self.stream} #{self.seq} {self.hash[:12]}"


class AnchoredHead(models.Model):
    """The position of a stream the last checkpoint anchored; written by the checkpoint job
    only (never locked by an append), so the next checkpoint lists just the heads that moved."""

    stream = models.CharField(max_length=80, unique=True)
    seq = models.PositiveBigIntegerField()

    class Meta:
        verbose_name = _("anchored audit stream head")

    def __str__(self) -> str:
        return f"{self.stream} #{self.seq}"


class AuditCheckpoint(models.Model):
    """A signed, public anchor of every stream head at one moment, chained to the previous
    checkpoint: whoever kept one can detect a later rewrite or truncation of the log.

    `root` is the Merkle root over all heads (`audit.checkpoints.merkle_root`); `hash` covers
    the number, time, root, counts and `previous`; `signature` is Ed25519 over `hash`.
    `changed_heads` (private, never published: a sealed project's head count would tell how
    many bid events it had) lists the heads that moved since the previous checkpoint, so that
    `audit_verify` can rebuild every root and check each anchored entry still exists."""

    created_at = models.DateTimeField(_("time"))
    root = models.CharField(_("Merkle root"), max_length=64)
    previous = models.CharField(_("previous checkpoint"), max_length=64, unique=True)
    hash = models.CharField(max_length=64, unique=True)
    streams = models.PositiveIntegerField(_("streams"))
    entries = models.PositiveBigIntegerField(_("entries"))
    signature = models.CharField(max_length=128)
    key_id = models.CharField(max_length=16)
    changed_heads = models.JSONField(default=dict)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("audit checkpoint")
        verbose_name_plural = _("audit checkpoints")

    def __str__(self) -> str:
        return f"#{self.pk} {self.root[:12]}"
