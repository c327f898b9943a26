"""Who a write through the API is: a unit's case system acts as a service account of
that unit (a 填报员 that cannot sign in), so the ledger's own transitions, checks and
audit rows apply to it exactly as to a clerk on the page."""

from jiandu.orgs.models import Role, User


def service_user(token) -> User:
    """The account a write-scoped, unit-limited token acts as (made on first use)."""
    user, created = User.objects.get_or_create(
        username=f"api-{token.prefix}",
        defaults={
            "unit_id": token.unit_id,
            "full_name": f"接口：{token.name}"[:50],
            "is_active": False,  # never signs in, receives no notices
        },
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        role, _ = Role.objects.get_or_create(code=Role.CLERK, defaults={"name": "单位填报员"})
        user.roles.add(role)
    return user
