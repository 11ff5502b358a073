"""Sealed bids at rest (issue 13 §2; docs/decisions.md "Sealed bids encrypted at rest").

Before opening, a bid's price, discount rate and proposal are only in `Bid.sealed_contents`
(AES-GCM under the project's data key, associated data = bid id + project id, so a blob moved to
another bid does not decrypt) and its attachments are stored encrypted. Who decrypts:

- `unseal_for_opening`: the opening, under the project's lock and in its transaction; the
  columns are written back and from then on everything reads them as before;
- `sealed_contents_for_bidder` / `reveal_to_bidder`: the bidding agency, its own bid only
  (receipt page, revision form, its API reads, its revise/confirm services);
- `attachment_content`: downloads, after the view's permission check (the file on disk stays
  ciphertext; before opening only the bidding agency may read it).
"""

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bidding.models import Bid, BidAttachment, Project, ProjectSealKey
from marketplace import sealing
from marketplace.errors import NotAllowed


@dataclass(frozen=True)
class Contents:
    price: Decimal | None
    discount_rate: Decimal | None
    proposal: str

    def as_json(self) -> bytes:
        def text(value):
            return None if value is None else format(value, "f")
        return json.dumps({"price": text(self.price), "discount_rate": text(self.discount_rate),
                           "proposal": self.proposal}, ensure_ascii=False).encode("utf-8")

    @classmethod
    def from_json(cls, raw: bytes) -> "Contents":
        data = json.loads(raw.decode("utf-8"))

        def number(value):
            return None if value is None else Decimal(value)
        return cls(number(data["price"]), number(data["discount_rate"]), data["proposal"])


def bid_aad(bid_id: int, project_id: int) -> bytes:
    return f"bidding.bid:{bid_id}:project:{project_id}".encode()


def file_aad(project_id: int, sha256: str) -> bytes:
    return f"bidding.bidattachment:project:{project_id}:sha256:{sha256.lower()}".encode()


# --- Keys -----------------------------------------------------------------------------------


def data_key(project_id: int, *, create: bool = False) -> bytes:
    """The project's data key, unwrapped; made (and stored wrapped) on the first sealed bid."""
    row = ProjectSealKey.objects.filter(project_id=project_id).first()
    if row is not None:
        return sealing.configured_keys().unwrap(row.kek_id, sealing.from_text(row.wrapped_key))
    if not create:
        raise sealing.SealBroken(_("The project's seal key is missing; its sealed bids cannot "
                                   "be opened. Nothing was changed."), code="seal.key_missing")
    key = sealing.new_data_key()
    kek_id, wrapped = sealing.configured_keys().wrap(key)
    try:
        with transaction.atomic():  # two first bids racing: the second one reads the winner's
            ProjectSealKey.objects.create(project_id=project_id, kek_id=kek_id,
                                          wrapped_key=sealing.to_text(wrapped))
    except IntegrityError:
        return data_key(project_id)
    return key


def data_key_of(project: Project, *, create: bool = False) -> bytes:
    """`data_key`, from the seal key read along with `project` when it was
    (`lock_project_for_bid` reads it under the lock); read here otherwise, and made when
    `create` and the project has none yet."""
    related = Project.seal_key.related
    row = related.get_cached_value(project) if related.is_cached(project) else None
    if row is None:
        return data_key(project.pk, create=create)
    return sealing.configured_keys().unwrap(row.kek_id, sealing.from_text(row.wrapped_key))


def rewrap_all(*, now=None) -> tuple[int, int]:
    """Every project data key wrapped again under the current KEK (data untouched). Returns
    (rewrapped, already current). Unwraps everything first: a missing KEK changes nothing."""
    keys = sealing.configured_keys()
    rows = list(ProjectSealKey.objects.select_for_update().order_by("project_id"))
    stale = [row for row in rows if row.kek_id != keys.current_id]
    plain = [keys.unwrap(row.kek_id, sealing.from_text(row.wrapped_key)) for row in stale]
    now = now or timezone.now()
    for row, key in zip(stale, plain, strict=True):
        row.kek_id, wrapped = keys.wrap(key)
        row.wrapped_key, row.rewrapped_at = sealing.to_text(wrapped), now
    ProjectSealKey.objects.bulk_update(stale, ["kek_id", "wrapped_key", "rewrapped_at"])
    return len(stale), len(rows) - len(stale)


# --- Bids -----------------------------------------------------------------------------------


def _contents_in_memory(bid: Bid) -> Contents:
    return Contents(bid.price, bid.discount_rate, bid.proposal or "")


def _put(bid: Bid, contents: Contents) -> None:
    bid.price, bid.discount_rate, bid.proposal = (contents.price, contents.discount_rate,
                                                  contents.proposal)


def _decrypt(bid: Bid, key: bytes) -> Contents:
    raw = sealing.decrypt(key, sealing.from_text(bid.sealed_contents),
                          bid_aad(bid.pk, bid.project_id))
    return Contents.from_json(raw)


def seal_and_save(bid: Bid) -> Bid:
    """Save `bid` (new or changed; price, rate and proposal set in memory) with them sealed.
    The caller keeps them in memory (it is the agency's own action). A new bid whose id the
    caller has already taken from the sequence is sealed first and inserted once."""
    contents = _contents_in_memory(bid)
    inserted = bid.pk is None
    if inserted:
        # The id is part of the associated data: insert first, with the columns empty (unless
        # the caller took the id beforehand: `bid_submit` on PostgreSQL).
        _put(bid, Contents(None, None, ""))
        bid.save()
        _put(bid, contents)
    key = (data_key_of(bid.project, create=True) if Bid.project.is_cached(bid)
           else data_key(bid.project_id, create=True))
    bid.sealed_contents = sealing.to_text(
        sealing.encrypt(key, contents.as_json(), bid_aad(bid.pk, bid.project_id)))
    # Bid.save writes the plaintext columns empty while sealed; a row just inserted has
    # every other column written already; a new bid with its id taken is inserted now, once.
    if bid._state.adding:
        bid.save(force_insert=True)
    else:
        bid.save(update_fields=["sealed_contents"] if inserted else None)
    # This instance knows what its blob holds: revealing it to its agency later in the same
    # request (the API's response) needs no second key read and decryption.
    bid._sealed_plaintext = (bid.sealed_contents, contents)
    return bid


def check_reads_sealed(bid: Bid, organization) -> None:
    """Before opening, only the bid's own agency reads its sealed contents."""
    if organization is None or organization.pk != bid.agency_id:
        raise NotAllowed(_("Only the bidding agency can read its sealed bid."))


def sealed_contents_for_bidder(bid: Bid, organization) -> Contents:
    """The one reading of a bid's sealed contents before opening: by its own agency only."""
    check_reads_sealed(bid, organization)
    if not bid.sealed_contents:
        return _contents_in_memory(bid)
    sealed_here = getattr(bid, "_sealed_plaintext", None)  # set by `seal_and_save`
    if sealed_here is not None and sealed_here[0] == bid.sealed_contents:
        return sealed_here[1]
    return _decrypt(bid, data_key(bid.project_id))


def reveal_to_bidder(bid: Bid, organization) -> Bid:
    """`bid` with its sealed contents in memory (never saved: see `Bid.save`), for its agency."""
    if bid.sealed_contents:
        _put(bid, sealed_contents_for_bidder(bid, organization))
    return bid


def reveal_all_to_bidder(bids, organization) -> list[Bid]:
    """`reveal_to_bidder` for a page of the agency's own bids: one query for all the data
    keys it needs, not one per row."""
    bids = list(bids)
    sealed = [bid for bid in bids if bid.sealed_contents]
    for bid in sealed:
        check_reads_sealed(bid, organization)
    plain = _data_keys({bid.project_id for bid in sealed})
    for bid in sealed:
        _put(bid, _decrypt(bid, plain[bid.project_id]))
    return bids


def _data_keys(project_ids) -> dict[int, bytes]:
    """The data keys of these projects, unwrapped, in one query; a missing one raises the coded
    "key missing" refusal."""
    keys = sealing.configured_keys()
    wrapped = ProjectSealKey.objects.filter(project_id__in=set(project_ids))
    plain = {row.project_id: keys.unwrap(row.kek_id, sealing.from_text(row.wrapped_key))
             for row in wrapped}
    for project_id in project_ids:
        if project_id not in plain:
            data_key(project_id)  # raises the coded "key missing" refusal
    return plain


def unseal_for_opening(project: Project, bids: list[Bid]) -> list[Bid]:
    """Decrypt the sealed ones of `bids` (every bid of `project`, read under its lock, withdrawn
    ones included: they stay visible to their agency only, by `selectors.bid_access`) into
    their columns, in memory: the opening writes them back with its other changes in one go
    (`sealed_contents` then empty). Everything is decrypted before the caller writes anything,
    so a missing or wrong key stops the opening with nothing changed. Returns the bids that
    were sealed."""
    return unseal_many_for_opening(bids)


def unseal_many_for_opening(bids: list[Bid]) -> list[Bid]:
    """`unseal_for_opening` for the bids of several projects being opened together (each
    under its lock): one query for their data keys. All or nothing, like the one project's."""
    sealed = [bid for bid in bids if bid.sealed_contents]
    if not sealed:
        return []
    keys = _data_keys({bid.project_id for bid in sealed})
    opened = [_decrypt(bid, keys[bid.project_id]) for bid in sealed]
    for bid, contents in zip(sealed, opened, strict=True):
        _put(bid, contents)
        bid.sealed_contents = ""
    return sealed


# --- Attachments ----------------------------------------------------------------------------


def seal_upload(project_id: int, fields: dict) -> dict:
    """The fields of a checked upload with its file replaced by the ciphertext of its content
    (`size` and `sha256` stay the plaintext's: the receipt commits to them)."""
    upload = fields["file"]
    upload.seek(0)
    content = upload.read()
    key = data_key(project_id, create=True)
    blob = sealing.encrypt(key, content, file_aad(project_id, fields["sha256"]))
    return {**fields, "file": ContentFile(blob, name=upload.name), "sealed": True}


def attachment_content(attachment: BidAttachment, organization) -> bytes | None:
    """The plaintext of a sealed attachment (None when it is stored in clear), for a viewer the
    download view already allowed. Before opening, only the bidding agency."""
    if not attachment.sealed:
        return None
    bid = attachment.bid
    if not bid.project.is_opened and (organization is None
                                      or organization.pk != bid.agency_id):
        raise NotAllowed(_("Only the bidding agency can read its sealed bid."))
    with attachment.file.open("rb") as stored:
        blob = stored.read()
    content = sealing.decrypt(data_key(bid.project_id), blob,
                              file_aad(bid.project_id, attachment.sha256))
    if hashlib.sha256(content).hexdigest() != attachment.sha256.lower():
        raise sealing.SealBroken(code="seal.mismatch")
    return content
