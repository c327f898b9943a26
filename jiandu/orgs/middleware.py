from django.shortcuts import redirect
from django.urls import reverse

# Pages an account that must change its password may still open.
_OPEN = ("orgs:password_change", "logout")


def password_change_required(get_response):
    """An account given its password by someone else changes it before anything else."""
    open_paths = None

    def middleware(request):
        nonlocal open_paths
        user = request.user
        if user.is_authenticated and user.needs_password_change:
            if open_paths is None:
                open_paths = {reverse(name) for name in _OPEN}
            if request.path not in open_paths:
                return redirect("orgs:password_change")
        return get_response(request)

    return middleware
