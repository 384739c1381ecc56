"""Users, roles and the organisation tree (finance bureau → departments → units).

Everyone sees only their organisation's subtree (DESIGN.md "Lifecycle and people"); the subtree is
a prefix query on :attr:`Organisation.path`, so one index serves every scope check.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Organisation(models.Model):
    """A node of the tree: 财政局 (bureau), 主管部门 (department) or 预算单位 (unit)."""

    class Kind(models.TextChoices):
        BUREAU = "bureau", _("财政局")
        DEPARTMENT = "department", _("主管部门")
        UNIT = "unit", _("预算单位")

    name = models.CharField(_("名称"), max_length=200, unique=True)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # "/1/4/9/": ids from the root; a subtree is path__startswith (kept by save()).
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("组织")
        verbose_name_plural = _("组织")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        """Save, then recompute the materialised path of this node and its descendants."""
        super().save(*args, **kwargs)  # type: ignore[arg-type]
        new_path = (self.parent.path if self.parent else "/") + f"{self.pk}/"
        if new_path != self.path:
            old = self.path
            Organisation.objects.filter(pk=self.pk).update(path=new_path)
            self.path = new_path
            if old:
                for child in Organisation.objects.filter(path__startswith=old).exclude(pk=self.pk):
                    child.path = new_path + child.path[len(old) :]
                    Organisation.objects.filter(pk=child.pk).update(path=child.path)

    @property
    def depth(self) -> int:
        """Return 0 for the root, 1 for its children, …"""
        return self.path.count("/") - 2


class Role(models.TextChoices):
    """The five roles of the workflow (DESIGN.md); the public has no account."""

    FILLER = "filler", _("填报人")
    UNIT_HEAD = "unit_head", _("单位负责人")
    DEPT_REVIEWER = "dept_reviewer", _("主管部门审核人")
    FINANCE_REVIEWER = "finance_reviewer", _("财政局绩效科")
    ADMIN = "admin", _("系统管理员")


class User(AbstractUser):
    """A person with one role in one organisation."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("所属组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.FILLER)
    display_name = models.CharField(_("姓名"), max_length=100, blank=True)
    # Role, organisation and activation changes are audited (等保 2.0: 安全审计); the password hash
    # and the last sign-in time are not history.
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def is_admin_role(self) -> bool:
        """Return True for the admin role or a Django superuser."""
        return self.role == Role.ADMIN or self.is_superuser


def _auth_hash(user: User) -> str:
    """Return a digest of the user's password hash: it changes when the password changes."""
    return user.get_session_auth_hash()


class ApiToken(models.Model):
    """A bearer token for the REST API; only its SHA-256 is stored.

    A token expires (``settings.API_TOKEN_TTL``), is revoked by its owner, dies when its owner signs
    out of the web application and when the password changes (it carries a digest of the password
    hash, compared on every request, as Django does for sessions).
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("用途"), max_length=100, blank=True)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=8, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)
    expires = models.DateTimeField(_("过期时间"), null=True)
    auth_hash = models.CharField(max_length=128, editable=False, default="")

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")

    @staticmethod
    def hash(raw: str) -> str:
        """Return the stored digest of a raw token."""
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, name: str = "") -> str:
        """Create a token for ``user`` and return the raw value (shown once)."""
        raw = "jx_" + secrets.token_urlsafe(30)
        cls.objects.create(
            user=user,
            name=name,
            digest=cls.hash(raw),
            prefix=raw[:8],
            expires=timezone.now() + timedelta(seconds=settings.API_TOKEN_TTL_SECONDS),
            auth_hash=_auth_hash(user),
        )
        return raw

    def is_live(self) -> bool:
        """Return True while the token is unexpired, its user active and the password unchanged."""
        if self.expires is None or self.expires <= timezone.now() or not self.user.is_active:
            return False
        return hmac.compare_digest(self.auth_hash, _auth_hash(self.user))
