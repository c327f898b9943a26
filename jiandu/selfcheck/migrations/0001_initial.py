"""SelfCheckReport and SelfCheckAnswer, moved here from `campaigns` (campaigns 0006). The
tables already exist under their old names, so the models enter Django's state only. The
content types are renamed rather than recreated: a problem's origin is stored as content
type + id, and it must keep pointing at the same answer. Depends on ledger 0007 and later,
whose migrations still name campaigns.SelfCheckAnswer."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

MOVED = ("selfcheckreport", "selfcheckanswer")


def move_content_types(apps, schema_editor, old="campaigns", new="selfcheck"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if ContentType.objects.filter(app_label=new, model=model).exists():
            continue  # already there (a database migrated before the rows existed)
        ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, old="selfcheck", new="campaigns")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('campaigns', '0006_move_selfcheck_to_its_app'),
        ('ledger', '0008_deadline_change_moot'),
        ('orgs', '0002_axes_lockout_password_change_role_otp'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='SelfCheckReport',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('state', models.CharField(choices=[('draft', '填报中'), ('pending_signoff', '待负责人签发'), ('submitted', '已上报'), ('returned', '已退回'), ('accepted', '已接收')], default='draft', max_length=20, verbose_name='状态')),
                        ('contact_name', models.CharField(blank=True, max_length=30, verbose_name='填报人')),
                        ('contact_phone', models.CharField(blank=True, max_length=30, verbose_name='联系电话')),
                        ('first_submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='首次上报时间')),
                        ('submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='上报时间')),
                        ('returned_reason', models.TextField(blank=True, verbose_name='退回原因')),
                        ('accepted_at', models.DateTimeField(blank=True, null=True, verbose_name='接收时间')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('accepted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('campaign', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reports', to='campaigns.campaign')),
                        ('submitted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='self_check_reports', to='orgs.unit')),
                    ],
                    options={
                        'verbose_name': '自查报告',
                        'verbose_name_plural': '自查报告',
                        'db_table': 'campaigns_selfcheckreport',
                        'ordering': ['unit__kind', 'unit__code'],
                        'unique_together': {('campaign', 'unit')},
                    },
                ),
                migrations.CreateModel(
                    name='SelfCheckAnswer',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('has_problem', models.BooleanField(help_text='空表示尚未作答', null=True, verbose_name='存在问题')),
                        ('description', models.TextField(blank=True, verbose_name='问题描述')),
                        ('cause', models.TextField(blank=True, verbose_name='原因分析')),
                        ('measures', models.TextField(blank=True, verbose_name='整改措施')),
                        ('deadline', models.DateField(blank=True, null=True, verbose_name='整改时限')),
                        ('responsible_person', models.CharField(blank=True, max_length=50, verbose_name='责任人')),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('item', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='answers', to='campaigns.selfcheckitem')),
                        ('problem', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='ledger.problem', verbose_name='列入整改台账的问题')),
                        ('report', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='answers', to='selfcheck.selfcheckreport')),
                    ],
                    options={
                        'verbose_name': '自查答复',
                        'verbose_name_plural': '自查答复',
                        'db_table': 'campaigns_selfcheckanswer',
                        'ordering': ['item__order', 'item_id'],
                        'unique_together': {('report', 'item')},
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
