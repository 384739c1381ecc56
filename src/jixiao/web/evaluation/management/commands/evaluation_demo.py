"""``python -m jixiao.web.manage evaluation_demo``: demo self-evaluations and monitoring reports."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from jixiao.db.accounts.models import Role, User


class Command(BaseCommand):
    help = "为已批复/已公开的申报表生成演示用的绩效自评和 1–7 月运行监控"

    def handle(self, *args: Any, **options: Any) -> None:
        from jixiao.services.evaluation_demo import load_evaluation_demo

        admin = User.objects.filter(role=Role.ADMIN).first() or User.objects.filter(is_superuser=True).first()
        if admin is None:
            self.stderr.write("没有管理员用户：请先运行 jixiao demo / no admin user: run the demo first")
            return
        created = load_evaluation_demo(admin)
        self.stdout.write(f"created {created} self-evaluations")
