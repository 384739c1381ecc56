"""Sign-in with throttling, sign-out, and the account page that issues API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from jixiao.web import i18n
from jixiao.web.accounts import throttle
from jixiao.web.accounts.models import ApiToken


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    """Sign in; after repeated failures the user name is locked for a while (no password check)."""
    error = ""
    username = ""
    status = 200
    if request.method == "POST":
        # NUL cannot reach PostgreSQL (a 500); no real user name or password contains one.
        username = (request.POST.get("username") or "").replace("\x00", "")[:150]
        password = (request.POST.get("password") or "").replace("\x00", "")[:1000]
        wait = throttle.locked_seconds(username)
        if wait:
            minutes = (wait + 59) // 60
            error = (
                f"Too many failed sign-ins: try again in {minutes} minutes."
                if i18n.is_en()
                else f"登录失败次数过多，请 {minutes} 分钟后再试。"
            )
            status = 429
        else:
            user = authenticate(request, username=username, password=password)
            if user is None:
                throttle.record_failure(username)
                error = i18n.t("用户名或密码错误")
                status = 400
            else:
                throttle.reset(username)
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
    """The account page: role, organisation, and a button issuing an API token (shown once)."""
    token = None
    if request.method == "POST":
        token = ApiToken.issue(request.user, "web")  # type: ignore[arg-type]
        messages.success(request, i18n.t("请妥善保存，此令牌只显示一次："))
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created")
    return render(request, "accounts/account.html", {"token": token, "tokens": tokens})
