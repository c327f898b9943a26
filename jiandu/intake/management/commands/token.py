"""`jiandu token create NAME [--unit CODE] [--scope import,read,write]`,
`jiandu token list`, `jiandu token revoke PREFIX`: the API tokens from the server's
command line, audited like the token page (the actor is the command line)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from jiandu.intake import actions
from jiandu.intake.models import ApiToken
from jiandu.orgs.models import Unit


class Command(BaseCommand):
    help = "管理接口令牌：create 创建（只显示一次）、list 列出、revoke 停用"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="创建令牌，令牌只显示这一次")
        create.add_argument("name", help="名称，如 市场监管局办案系统")
        create.add_argument("--unit", default="", help="限定单位的编码")
        create.add_argument(
            "--scope", default="import", help="权限范围，逗号分隔：import,read,write"
        )
        sub.add_parser("list", help="列出令牌")
        revoke = sub.add_parser("revoke", help="停用令牌")
        revoke.add_argument("prefix", help="令牌前缀（list 显示的前缀，如 jd_AbC123）")

    def handle(self, *args, action, **options):
        return getattr(self, f"do_{action}")(**options) or None

    def do_create(self, name, unit, scope, **_):
        found = None
        if unit:
            found = Unit.objects.filter(code=unit).first()
            if found is None:
                raise CommandError(f"没有编码为“{unit}”的单位。")
        if not name.strip():
            raise CommandError("请填写令牌名称。")
        try:
            token, raw = actions.issue_token(
                actor=None, name=name.strip()[:100], unit=found, scopes=scope
            )
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stdout.write(
            f"已创建令牌“{token.name}”（{token.scope_labels}）。请立即保存，它不会再显示："
        )
        self.stdout.write(raw)

    def do_list(self, **_):
        tokens = ApiToken.objects.select_related("unit")
        if not tokens:
            self.stdout.write("还没有接口令牌。")
        for t in tokens:
            state = "启用" if t.is_active else "已停用"
            used = t.last_used_at.strftime("%Y-%m-%d %H:%M") if t.last_used_at else "未使用"
            unit = t.unit.code if t.unit else "不限单位"
            self.stdout.write(f"{t.prefix}\t{t.name}\t{unit}\t{t.scopes}\t{state}\t{used}")

    def do_revoke(self, prefix, **_):
        matches = list(ApiToken.objects.filter(prefix__startswith=prefix.strip(), is_active=True))
        if not prefix.strip() or not matches:
            raise CommandError(f"没有前缀为“{prefix}”的启用中的令牌。")
        if len(matches) > 1:
            raise CommandError(f"前缀“{prefix}”对应 {len(matches)} 个令牌，请写完整的前缀。")
        actions.revoke_token(matches[0], actor=None)
        self.stdout.write(f"已停用令牌“{matches[0].name}”（{matches[0].prefix}）。")
