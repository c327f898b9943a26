"""People for tests: every persona signs in with PASSWORD."""

from jiandu.orgs.models import Role, User

PASSWORD = "Test@2026pw"


def make_user(username, unit, *roles, **extra):
    user = User.objects.create_user(
        username=username, password=PASSWORD, unit=unit, full_name=username, **extra
    )
    if roles:
        user.roles.set(Role.objects.filter(code__in=roles))
    return user
