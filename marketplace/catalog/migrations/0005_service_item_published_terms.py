"""The catalogue's published terms (issue 17 §1): the reference time limit becomes the published
time limit, the fee basis becomes the fee standard (with its pricing), four terms are added, and
each item's terms so far become its first revision, in force from this migration."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

TERMS = ("legal_basis", "time_limit_days", "workflow", "application_conditions", "fee_pricing",
         "fee_standard", "competent_department", "is_monopoly")


def initial_revisions(apps, schema_editor):
    ServiceItem = apps.get_model("catalog", "ServiceItem")
    Revision = apps.get_model("catalog", "ServiceItemRevision")
    now = timezone.now()
    Revision.objects.bulk_create(
        Revision(item=item, valid_from=now, terms={name: getattr(item, name) for name in TERMS})
        for item in ServiceItem.objects.all())


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0004_text_limits'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField(
            model_name='serviceitem', old_name='reference_days', new_name='time_limit_days'),
        migrations.AlterField(
            model_name='serviceitem', name='time_limit_days',
            field=models.PositiveIntegerField(default=30, verbose_name='time limit (days)'),
        ),
        migrations.RenameField(
            model_name='serviceitem', old_name='fee_basis', new_name='fee_standard'),
        migrations.AlterField(
            model_name='serviceitem', name='fee_standard',
            field=models.TextField(blank=True, max_length=5000, verbose_name='fee standard'),
        ),
        migrations.AddField(
            model_name='serviceitem', name='workflow',
            field=models.JSONField(blank=True, default=list, verbose_name='workflow'),
        ),
        migrations.AddField(
            model_name='serviceitem', name='application_conditions',
            field=models.TextField(blank=True, max_length=5000,
                                   verbose_name='application conditions'),
        ),
        migrations.AddField(
            model_name='serviceitem', name='fee_pricing',
            field=models.CharField(choices=[('government_priced', 'Government-priced'),
                                            ('government_guided', 'Government-guided price'),
                                            ('market_regulated', 'Market-regulated price')],
                                   default='market_regulated', max_length=24,
                                   verbose_name='fee pricing'),
        ),
        migrations.AddField(
            model_name='serviceitem', name='competent_department',
            field=models.CharField(blank=True, max_length=200,
                                   verbose_name='competent department'),
        ),
        migrations.AddField(
            model_name='serviceitem', name='is_monopoly',
            field=models.BooleanField(default=False, verbose_name='monopoly item'),
        ),
        migrations.CreateModel(
            name='ServiceItemRevision',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name='ID')),
                ('terms', models.JSONField(verbose_name='terms')),
                ('valid_from', models.DateTimeField(db_index=True, verbose_name='valid from')),
                ('reason', models.TextField(blank=True, max_length=2000, verbose_name='reason')),
                ('edited_by', models.ForeignKey(
                    blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                    related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='edited by')),
                ('item', models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE, related_name='revisions',
                    to='catalog.serviceitem', verbose_name='service item')),
            ],
            options={
                'verbose_name': 'service item revision',
                'verbose_name_plural': 'service item revisions',
                'ordering': ['item', 'valid_from', 'id'],
            },
        ),
        migrations.RunPython(initial_revisions, migrations.RunPython.noop),
    ]
