"""`jiandu manage check --deploy` flags a missing or published key."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

from jiandu import keys


# Tagged as Django's own deployment checks are: `check --deploy --tag security` runs
# them without loading every URL and view.
@register(Tags.security, deploy=True)
def keys_check(app_configs, **kwargs):
    problems = []
    missing = getattr(settings, "KEYS_MISSING", [])
    if "SECRET_KEY" in missing:
        problems.append(
            Warning(
                "SECRET_KEY 未设置：本进程使用临时随机密钥，重启后登录会话和签名链接全部失效。",
                hint="运行 jiandu init 在数据目录生成密钥文件，或在环境中设置 SECRET_KEY。",
                id="jiandu.W001",
            )
        )
    elif settings.SECRET_KEY in keys.PUBLISHED_SECRET_KEYS:
        problems.append(
            Warning(
                "SECRET_KEY 是代码中公开的默认值：任何人都能伪造会话和签名链接。",
                hint="删除环境中的 SECRET_KEY 并运行 jiandu init 生成随机密钥，或设置新的随机值。",
                id="jiandu.W002",
            )
        )
    if not settings.FIELD_ENCRYPTION_KEY:
        problems.append(
            Warning(
                "JIANDU_FIELD_KEY 未设置：无法加密或解密举报人身份信息。",
                hint="运行 jiandu init 在数据目录生成密钥文件，或在环境中设置 JIANDU_FIELD_KEY。",
                id="jiandu.W003",
            )
        )
    else:
        published = {keys.derived_key(k).decode() for k in keys.PUBLISHED_SECRET_KEYS}
        first = settings.FIELD_ENCRYPTION_KEY.split(",")[0].strip()
        if first in published:
            problems.append(
                Warning(
                    "JIANDU_FIELD_KEY 由代码中公开的默认 SECRET_KEY 推导而来：身份信息等于未加密。",
                    hint="生成新密钥放在首位，运行 jiandu manage rotate_field_key 重新加密后删除旧密钥。",
                    id="jiandu.W004",
                )
            )
    if keys.readable_by_others(settings.DATA_DIR):
        problems.append(
            Warning(
                f"密钥文件 {keys.keys_path(settings.DATA_DIR)} 可被其他用户读取。",
                hint="运行 chmod 600 修正权限（jiandu init 也会修正）。",
                id="jiandu.W005",
            )
        )
    return problems
