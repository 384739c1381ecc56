"""Sign-in, sign-out, and the account page that issues and revokes API tokens.

Failed sign-ins are counted and locked out by django-axes (settings.AXES_*), in the authentication
backend, so that the admin's sign-in and the API's token endpoint share the same lockout.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jixiao.db.accounts.models import ApiToken
from jixiao.web.signed_in import user_of


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    """Sign in; after repeated failures from one address the user name is locked there for a while."""
    error = ""
    username = ""
    status = 200
    if request.method == "POST":
        # NUL cannot reach PostgreSQL (a 500); no real user name or password contains one.
        username = (request.POST.get("username") or "").replace("\x00", "")[:150]
        password = (request.POST.get("password") or "").replace("\x00", "")[:1000]
        user = authenticate(request, username=username, password=password)
        if user is None:
            # A locked pair is answered by the axes middleware (accounts.lockout), status 429.
            error = _("用户名或密码错误")
            status = 400
        else:
            login(request, user)
            target = request.POST.get("next") or request.GET.get("next") or "/"
            if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                target = "/"
            return redirect(target)
    return render(
        request,
        "accounts/login.html",
        {"error": error, "username": username, "next": request.GET.get("next", "")},
        status=status,
    )


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    """Sign out (POST only, so that a link cannot sign a user out)."""
    logout(request)
    return redirect("login")


@login_required
@require_http_methods(["GET", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    """The account page: role, organisation, the user's API tokens (issue one, revoke any)."""
    token = None
    if request.method == "POST":
        revoke = request.POST.get("revoke", "")
        if revoke:
            if revoke.isdigit():
                ApiToken.objects.filter(user=user_of(request), pk=int(revoke)).delete()
            messages.success(request, _("令牌已吊销"))
            return redirect("account")
        token = ApiToken.issue(request.user, "web")  # type: ignore[arg-type]
        messages.success(request, _("请妥善保存，此令牌只显示一次："))
    tokens = ApiToken.objects.filter(user=user_of(request)).order_by("-created")
    return render(request, "accounts/account.html", {"token": token, "tokens": tokens})
