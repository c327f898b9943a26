from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jiandu.audit.log import log
from jiandu.orgs.forms import ChinesePasswordChangeForm, LoginForm


class LoginView(auth_views.LoginView):
    template_name = "orgs/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@login_required
def home(request):
    """Each role starts where its work is; an account without unit or role is told so."""
    user = request.user
    if user.is_supervisor:
        return redirect("dashboard:cockpit")
    if user.is_discipline:
        return redirect("ledger:leads")
    if user.unit_id:
        return redirect("dashboard:todo")
    return render(request, "orgs/home.html")


@login_required
def notifications(request):
    qs = request.user.notifications.all()
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "orgs/notifications.html", {"page": page})


@login_required
@require_POST
def notification_read(request, pk):
    note = get_object_or_404(request.user.notifications, pk=pk)
    if note.read_at is None:
        note.read_at = timezone.now()
        note.save(update_fields=["read_at"])
    if note.url and request.POST.get("follow"):
        return redirect(note.url)
    return redirect("orgs:notifications")


@login_required
@require_POST
def notifications_read_all(request):
    request.user.notifications.unread().update(read_at=timezone.now())
    return redirect("orgs:notifications")


@login_required
def password_change(request):
    form = ChinesePasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        log("orgs.password_changed", actor=user, obj=user, request=request)
        messages.success(request, "密码已修改。")
        return redirect("home")
    return render(request, "orgs/password_change.html", {"form": form})
