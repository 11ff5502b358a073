"""Seal the bids of every project not opened yet (issue 13 §2): price, rate and proposal into
`sealed_contents`, attachment files replaced by their ciphertext. Opened projects' bids are
left as they are. Backwards: the same bids unsealed into their columns and files.

Uses the pure pieces of `bidding.sealing` and `marketplace.sealing` (formats and associated
data) with the historical models, so the blobs are exactly what the services write. The keys
are the configured KEKs (BID_SEAL_KEKS...); plaintext files are deleted only after commit.
"""

import uuid
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.db import migrations, transaction

BATCH = 500


def _key(ProjectSealKey, project_id, cache, *, create):
    from marketplace import sealing

    if project_id in cache:
        return cache[project_id]
    keys = sealing.configured_keys()
    row = ProjectSealKey.objects.filter(project_id=project_id).first()
    if row is not None:
        key = keys.unwrap(row.kek_id, sealing.from_text(row.wrapped_key))
    elif create:
        key = sealing.new_data_key()
        kek_id, wrapped = keys.wrap(key)
        ProjectSealKey.objects.create(project_id=project_id, kek_id=kek_id,
                                      wrapped_key=sealing.to_text(wrapped))
    else:
        raise sealing.SealBroken(code="seal.key_missing")
    cache[project_id] = key
    return key


def _replace_file(attachment, content: bytes, old_names: list) -> None:
    # A new name: a storage that overwrites would otherwise lose the file deleted after commit.
    old_names.append(attachment.file.name)
    suffix = PurePath(attachment.file.name).suffix.lower()[:8]
    attachment.file.name = attachment.file.storage.save(f"bids/{uuid.uuid4().hex}{suffix}",
                                                        ContentFile(content))


def _delete_after_commit(storage, names) -> None:
    transaction.on_commit(lambda: [storage.delete(name) for name in names])


def seal_unopened(apps, schema_editor):
    from bidding.sealing import Contents, bid_aad, file_aad
    from marketplace import sealing

    Bid = apps.get_model("bidding", "Bid")
    BidAttachment = apps.get_model("bidding", "BidAttachment")
    ProjectSealKey = apps.get_model("bidding", "ProjectSealKey")
    cache, old_names, storage = {}, [], None
    bids = (Bid.objects.filter(project__opened_at__isnull=True, sealed_contents="")
            .order_by("id"))
    for bid in bids.iterator(chunk_size=BATCH):
        key = _key(ProjectSealKey, bid.project_id, cache, create=True)
        contents = Contents(bid.price, bid.discount_rate, bid.proposal or "")
        blob = sealing.encrypt(key, contents.as_json(), bid_aad(bid.pk, bid.project_id))
        Bid.objects.filter(pk=bid.pk).update(sealed_contents=sealing.to_text(blob), price=None,
                                             discount_rate=None, proposal="")
    attachments = BidAttachment.objects.filter(bid__project__opened_at__isnull=True,
                                               sealed=False).select_related("bid")
    for attachment in attachments.order_by("id").iterator(chunk_size=BATCH):
        key = _key(ProjectSealKey, attachment.bid.project_id, cache, create=True)
        storage = attachment.file.storage
        with attachment.file.open("rb") as stored:
            content = stored.read()
        blob = sealing.encrypt(key, content, file_aad(attachment.bid.project_id,
                                                      attachment.sha256))
        _replace_file(attachment, blob, old_names)
        attachment.sealed = True
        attachment.save(update_fields=["file", "sealed"])
    if old_names:
        _delete_after_commit(storage, old_names)


def unseal_all(apps, schema_editor):
    from bidding.sealing import Contents, bid_aad, file_aad
    from marketplace import sealing

    Bid = apps.get_model("bidding", "Bid")
    BidAttachment = apps.get_model("bidding", "BidAttachment")
    ProjectSealKey = apps.get_model("bidding", "ProjectSealKey")
    cache, old_names, storage = {}, [], None
    for bid in Bid.objects.exclude(sealed_contents="").order_by("id").iterator(chunk_size=BATCH):
        key = _key(ProjectSealKey, bid.project_id, cache, create=False)
        contents = Contents.from_json(sealing.decrypt(
            key, sealing.from_text(bid.sealed_contents), bid_aad(bid.pk, bid.project_id)))
        Bid.objects.filter(pk=bid.pk).update(sealed_contents="", price=contents.price,
                                             discount_rate=contents.discount_rate,
                                             proposal=contents.proposal)
    attachments = BidAttachment.objects.filter(sealed=True).select_related("bid")
    for attachment in attachments.order_by("id").iterator(chunk_size=BATCH):
        key = _key(ProjectSealKey, attachment.bid.project_id, cache, create=False)
        storage = attachment.file.storage
        with attachment.file.open("rb") as stored:
            blob = stored.read()
        content = sealing.decrypt(key, blob, file_aad(attachment.bid.project_id,
                                                      attachment.sha256))
        _replace_file(attachment, content, old_names)
        attachment.sealed = False
        attachment.save(update_fields=["file", "sealed"])
    if old_names:
        _delete_after_commit(storage, old_names)


class Migration(migrations.Migration):

    dependencies = [
        ("bidding", "0005_sealed_at_rest"),
    ]

    operations = [
        migrations.RunPython(seal_unopened, unseal_all),
    ]
