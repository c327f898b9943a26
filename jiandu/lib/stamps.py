"""`updated_at`: when a record last changed, for the API's `updated_since` sync. Each
model declares it as `DateTimeField(auto_now=True, db_default=Now(), db_index=True)`.

`auto_now` alone misses the saves that name their fields (`save(update_fields=[...])`,
how every transition saves): `follow()` stamps those too, and stamps a parent record
when a child of its history is written (a progress note stamps its problem). Bulk
`.update()` calls set `updated_at` themselves."""

from django.db.models.signals import post_save
from django.utils import timezone


def follow(model, parent: str | None = None):
    """Keep `model.updated_at` (or, with `parent`, the parent's) true on every save."""

    def stamp(sender, instance, created, raw=False, update_fields=None, **kwargs):
        if raw:
            return
        if parent:
            target = getattr(instance, f"{parent}_id", None)
            related = sender._meta.get_field(parent).related_model
            if target is not None:
                related._base_manager.filter(pk=target).update(updated_at=timezone.now())
        elif update_fields is not None and "updated_at" not in update_fields:
            sender._base_manager.filter(pk=instance.pk).update(updated_at=timezone.now())

    post_save.connect(stamp, sender=model, weak=False, dispatch_uid=f"stamp:{model._meta.label}")
