"""One chain per stream, and signed checkpoints (issue 14 §1). The entries written so far form
the stream "market": they keep their global `seq`, and their hashes, which cover it."""

from django.db import migrations, models
from django.db.models import F


def old_chain_becomes_the_market_stream(apps, schema_editor):
    AuditEntry = apps.get_model("audit", "AuditEntry")
    ChainHead = apps.get_model("audit", "ChainHead")
    StreamHead = apps.get_model("audit", "StreamHead")
    AuditEntry.objects.update(stream="market", stream_seq=F("seq"))
    head = ChainHead.objects.filter(pk=1).first()
    if head is not None and head.seq:
        StreamHead.objects.create(stream="market", seq=head.seq, hash=head.hash)


def market_stream_becomes_the_old_chain(apps, schema_editor):
    AuditEntry = apps.get_model("audit", "AuditEntry")
    ChainHead = apps.get_model("audit", "ChainHead")
    StreamHead = apps.get_model("audit", "StreamHead")
    if AuditEntry.objects.filter(seq__isnull=True).exists():
        raise RuntimeError("entries were written in streams; the single chain cannot hold them")
    head = StreamHead.objects.filter(stream="market").first()
    if head is not None:
        ChainHead.objects.create(pk=1, seq=head.seq, hash=head.hash)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0002_auditentry_sealed_project"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="auditentry",
            options={"ordering": ["id"], "verbose_name": "audit entry",
                     "verbose_name_plural": "audit entries"},
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="seq",
            field=models.PositiveBigIntegerField(blank=True, null=True, unique=True,
                                                 verbose_name="sequence"),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="stream",
            field=models.CharField(default="market", max_length=80, verbose_name="stream"),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="stream_seq",
            field=models.PositiveBigIntegerField(null=True,
                                                 verbose_name="position in its stream"),
        ),
        migrations.CreateModel(
            name="StreamHead",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("stream", models.CharField(max_length=80, unique=True)),
                ("seq", models.PositiveBigIntegerField(default=0)),
                ("hash", models.CharField(max_length=64)),
            ],
            options={"verbose_name": "audit stream head"},
        ),
        migrations.CreateModel(
            name="AnchoredHead",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("stream", models.CharField(max_length=80, unique=True)),
                ("seq", models.PositiveBigIntegerField()),
            ],
            options={"verbose_name": "anchored audit stream head"},
        ),
        migrations.CreateModel(
            name="AuditCheckpoint",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("created_at", models.DateTimeField(verbose_name="time")),
                ("root", models.CharField(max_length=64, verbose_name="Merkle root")),
                ("previous", models.CharField(max_length=64, unique=True,
                                              verbose_name="previous checkpoint")),
                ("hash", models.CharField(max_length=64, unique=True)),
                ("streams", models.PositiveIntegerField(verbose_name="streams")),
                ("entries", models.PositiveBigIntegerField(verbose_name="entries")),
                ("signature", models.CharField(max_length=128)),
                ("key_id", models.CharField(max_length=16)),
                ("changed_heads", models.JSONField(default=dict)),
            ],
            options={"verbose_name": "audit checkpoint", "verbose_name_plural":
                     "audit checkpoints", "ordering": ["-id"]},
        ),
        migrations.RunPython(old_chain_becomes_the_market_stream,
                             market_stream_becomes_the_old_chain),
        migrations.AlterField(
            model_name="auditentry",
            name="stream_seq",
            field=models.PositiveBigIntegerField(verbose_name="position in its stream"),
        ),
        migrations.AddConstraint(
            model_name="auditentry",
            constraint=models.UniqueConstraint(fields=("stream", "stream_seq"),
                                               name="audit_one_entry_per_stream_position"),
        ),
        migrations.DeleteModel(name="ChainHead"),
    ]
