from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm

from jiandu.core.forms import CapsFreeText
from jiandu.orgs.actions import reset_otp_throttle, unlock
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
    list_display = ["code", "name", "otp_required"]
    # The supervisor sets this on 账号安全 (orgs.actions.set_role_otp_required, audited).
    readonly_fields = ["otp_required"]


class TemporaryPasswordForm(CapsFreeText, AdminPasswordChangeForm):
    """A password an administrator sets is temporary: the owner changes it at sign-in."""

    def save(self, commit=True):
        self.user.must_change_password = True
        return super().save(commit=commit)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    change_password_form = TemporaryPasswordForm
    list_display = ["username", "full_name", "unit", "is_active", "must_change_password"]
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
                    "must_change_password",
                    "demo_account",
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

    actions = ["unlock", "reset_otp_throttle"]

    @admin.action(description="解除所选用户的登录锁定")
    def unlock(self, request, queryset):
        unlock(list(queryset), request.user, request)
        self.message_user(request, f"已解除 {queryset.count()} 个用户的登录锁定。")

    @admin.action(description="解除所选用户的验证码错误等待")
    def reset_otp_throttle(self, request, queryset):
        count = reset_otp_throttle(list(queryset), request.user, request)
        self.message_user(request, f"已解除 {count} 个用户的验证码错误等待。")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.must_change_password = True  # a new account changes its first password
        super().save_model(request, obj, form, change)
