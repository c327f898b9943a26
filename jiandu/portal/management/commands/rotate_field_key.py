"""Re-encrypt every stored identity with the first key of JIANDU_FIELD_KEY, so the old
keys can then be removed (README: 密钥的备份与更换)."""

from cryptography.fernet import InvalidToken
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from jiandu.audit.log import log
from jiandu.portal import crypto
from jiandu.portal.models import Complaint


class Command(BaseCommand):
    help = "用 JIANDU_FIELD_KEY 的第一个密钥重新加密全部举报人身份信息（更换密钥后运行）"

    def handle(self, *args, **options):
        fernet = crypto.fernet()
        done, unreadable = 0, []
        rows = Complaint.objects.exclude(name_cipher="", phone_cipher="").only(
            "pk", "name_cipher", "phone_cipher"
        )
        with transaction.atomic():
            for complaint in rows.select_for_update().iterator(chunk_size=500):
                try:
                    name, phone = (
                        fernet.rotate(token.encode()).decode() if token else ""
                        for token in (complaint.name_cipher, complaint.phone_cipher)
                    )
                except InvalidToken:
                    unreadable.append(complaint.pk)
                    continue
                Complaint.objects.filter(pk=complaint.pk).update(
                    name_cipher=name, phone_cipher=phone
                )
                done += 1
            if unreadable:
                # Raising undoes the block: nothing is changed while an old key is missing
                # from JIANDU_FIELD_KEY (removing it afterwards would lose these for good).
                shown = "、".join(str(pk) for pk in unreadable[:20])
                raise CommandError(
                    f"{len(unreadable)} 条举报的身份信息无法用现有密钥解密（编号 {shown}…），"
                    "未做任何更改。请把旧密钥加入 JIANDU_FIELD_KEY 后重试。"
                )
            log("portal.identity.rekeyed", data={"count": done})
        self.stdout.write(
            f"已用新密钥重新加密 {done} 条举报的身份信息。现在可以从 JIANDU_FIELD_KEY 中删除旧密钥。"
        )
