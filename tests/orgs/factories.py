"""People for tests: every persona signs in with PASSWORD."""

from functools import cache

from django.contrib.auth.hashers import make_password

from jiandu.orgs.models import Role, User

PASSWORD = "Test@2026pw"


@cache
def _password_hash(hasher):
    """PASSWORD hashed once per hasher (settings.PASSWORD_HASHERS[0]): a salted hash
    checks for every user that has it."""
    return make_password(PASSWORD)


def make_user(username, unit, *roles, **extra):
    user = User.objects.create_user(
        username=username, password=PASSWORD, unit=unit, full_name=username, **extra
    )
    if roles:
        user.roles.set(Role.objects.filter(code__in=roles))
    return user


def make_users(spec):
    """{key: (username, unit, *roles)} -> {key: User}, in two inserts (users, then their
    roles) rather than several queries per user: the personas of most tests."""
    from django.conf import settings

    password = _password_hash(settings.PASSWORD_HASHERS[0])
    users = {
        key: User(username=username, unit=unit, full_name=username, password=password)
        for key, (username, unit, *_roles) in spec.items()
    }
    User.objects.bulk_create(users.values())
    role_ids = dict(Role.objects.values_list("code", "pk"))
    Through = User.roles.through
    Through.objects.bulk_create(
        Through(user_id=users[key].pk, role_id=role_ids[code])
        for key, (_username, _unit, *roles) in spec.items()
        for code in roles
    )
    return users
