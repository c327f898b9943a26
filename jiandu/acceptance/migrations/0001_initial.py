"""UnitAcceptance and Showcase, moved here from `campaigns` (campaigns 0008). The tables
already exist under their old names, so the models enter Django's state only. The content
types are renamed rather than recreated: a showcase's attachments name their owner by
content type + id, and they must keep pointing at the same showcase."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


MOVED = ("unitacceptance", "showcase")


def move_content_types(apps, schema_editor, old="campaigns", new="acceptance"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if ContentType.objects.filter(app_label=new, model=model).exists():
            continue  # already there (a database migrated before the rows existed)
        ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, old="acceptance", new="campaigns")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('campaigns', '0008_move_acceptance_to_its_app'),
        ('ledger', '0008_deadline_change_moot'),
        ('orgs', '0002_axes_lockout_password_change_role_otp'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Showcase',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=200, verbose_name='标题')),
                        ('summary', models.TextField(verbose_name='简介')),
                        ('kind', models.CharField(choices=[('case', '最佳案例'), ('practice', '最佳实践')], default='practice', max_length=10, verbose_name='类别')),
                        ('body', models.TextField(blank=True, verbose_name='正文')),
                        ('state', models.CharField(choices=[('draft', '推荐中'), ('selected', '已评选'), ('published', '已发布')], default='draft', max_length=10, verbose_name='状态')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('published_at', models.DateTimeField(blank=True, null=True, verbose_name='发布时间')),
                        ('campaign', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='showcases', to='campaigns.campaign')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('problem', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='ledger.problem', verbose_name='相关问题')),
                        ('unit', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.unit', verbose_name='单位')),
                    ],
                    options={
                        'verbose_name': '最佳案例和最佳实践',
                        'verbose_name_plural': '最佳案例和最佳实践',
                        'db_table': 'campaigns_showcase',
                        'ordering': ['-published_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='UnitAcceptance',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('state', models.CharField(choices=[('pending', '待验收'), ('passed', '验收通过'), ('failed', '验收不通过')], default='pending', max_length=10, verbose_name='状态')),
                        ('opinion', models.TextField(blank=True, verbose_name='验收意见')),
                        ('open_reason', models.TextField(blank=True, help_text='仅在尚有未销号问题时填写', verbose_name='尚有未销号问题仍予通过的理由')),
                        ('open_problems', models.PositiveIntegerField(default=0, verbose_name='验收时未销号问题数')),
                        ('checked_on', models.DateField(blank=True, null=True, verbose_name='验收日期')),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('campaign', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='acceptances', to='campaigns.campaign')),
                        ('checked_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.unit')),
                    ],
                    options={
                        'verbose_name': '单位整改验收',
                        'verbose_name_plural': '单位整改验收',
                        'db_table': 'campaigns_unitacceptance',
                        'ordering': ['unit__kind', 'unit__code'],
                        'unique_together': {('campaign', 'unit')},
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
