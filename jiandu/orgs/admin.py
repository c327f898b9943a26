from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from jiandu.orgs.models import Domain, Role, Unit, User


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "parent", "is_active"]
    list_filter = ["kind", "is_active", "domains"]
    search_fields = ["code", "name"]
    filter_horizontal = ["domains"]


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "unit", "is_active", "locked_until"]
    list_filter = ["unit__kind", "roles", "is_active"]
    search_fields = ["username", "full_name", "unit__name"]
    filter_horizontal = ["roles", "groups", "user_permissions"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("个人信息", {"fields": ["full_name", "phone", "email", "unit", "roles"]}),
        (
            "状态",
            {
                "fields": [
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "failed_logins",
                    "locked_until",
                    "last_login",
                ]
            },
        ),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["username", "full_name", "unit", "roles", "password1", "password2"],
            },
        )
    ]
