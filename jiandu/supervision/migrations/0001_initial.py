"""SupervisionVisit and CaseFileReview, moved here from `campaigns` (campaigns 0005). The
tables already exist under their old names, so the models enter Django's state only. The
content types are renamed rather than recreated: a problem's origin is stored as content
type + id, and it must keep pointing at the same visit or review."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

MOVED = ("supervisionvisit", "casefilereview")


def move_content_types(apps, schema_editor, old="campaigns", new="supervision"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if ContentType.objects.filter(app_label=new, model=model).exists():
            continue  # already there (a database migrated before the rows existed)
        ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, old="supervision", new="campaigns")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('campaigns', '0005_move_supervision_to_its_app'),
        ('enforcement', '0006_fewer_case_indexes'),
        ('ledger', '0008_deadline_change_moot'),
        ('orgs', '0002_axes_lockout_password_change_role_otp'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='SupervisionVisit',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('visit_date', models.DateField(verbose_name='检查日期')),
                        ('summary', models.TextField(blank=True, verbose_name='检查情况')),
                        ('state', models.CharField(choices=[('planned', '计划中'), ('done', '已完成')], default='planned', max_length=10, verbose_name='状态')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('completed_at', models.DateTimeField(blank=True, null=True, verbose_name='完成时间')),
                        ('campaign', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='visits', to='campaigns.campaign')),
                        ('completed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('domains', models.ManyToManyField(blank=True, related_name='+', to='orgs.domain', verbose_name='检查领域（1+8）')),
                        ('team', models.ManyToManyField(related_name='supervision_visits', to=settings.AUTH_USER_MODEL, verbose_name='检查组成员')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='supervision_visits', to='orgs.unit', verbose_name='被检查单位')),
                    ],
                    options={
                        'verbose_name': '监督检查',
                        'verbose_name_plural': '监督检查',
                        'db_table': 'campaigns_supervisionvisit',
                        'ordering': ['-visit_date', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='CaseFileReview',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('case_no', models.CharField(max_length=80, verbose_name='案件编号')),
                        ('rubric', models.JSONField(default=list, verbose_name='评查标准')),
                        ('scores', models.JSONField(default=dict, verbose_name='各项得分')),
                        ('total', models.PositiveSmallIntegerField(default=0, verbose_name='总分')),
                        ('grade', models.CharField(choices=[('excellent', '优秀'), ('pass', '合格'), ('fail', '不合格')], max_length=10, verbose_name='等次')),
                        ('comments', models.TextField(blank=True, verbose_name='评查意见')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('case', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='enforcement.penaltycase', verbose_name='关联处罚案件')),
                        ('problem', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='ledger.problem', verbose_name='列入整改台账的问题')),
                        ('reviewer', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('visit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reviews', to='supervision.supervisionvisit')),
                    ],
                    options={
                        'verbose_name': '案卷评查',
                        'verbose_name_plural': '案卷评查',
                        'db_table': 'campaigns_casefilereview',
                        'ordering': ['visit', 'id'],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
