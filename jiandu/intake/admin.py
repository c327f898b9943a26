from django.contrib import admin

from jiandu.intake.models import ApiToken, ImportBatch


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "prefix", "is_active", "created_at", "last_used_at"]
    list_filter = ["is_active"]
    # Scope and revocation change only through intake.actions (audited): a revoked token
    # is not switched back on, nor a unit's token widened, by an unrecorded admin edit.
    readonly_fields = ["unit", "is_active", "prefix", "created_at", "last_used_at", "created_by"]
    fields = ["name", "unit", "is_active", "prefix", "created_by", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        # Tokens are issued on the intake page, which shows the secret once.
        return False


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "kind",
        "original_name",
        "unit",
        "source",
        "state",
        "rows",
        "created",
        "updated",
        "rejected",
        "created_at",
    ]
    list_filter = ["kind", "state", "source"]
    readonly_fields = [f.name for f in ImportBatch._meta.fields]

    def has_add_permission(self, request):
        return False
