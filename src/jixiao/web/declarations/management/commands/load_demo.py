"""``python -m jixiao.web.manage load_demo``: the demo organisations, users and declarations."""

from typing import Any

from django.core.management.base import BaseCommand

from jixiao.services.demo import DEMO_PASSWORD, DEMO_USERS, load_demo


class Command(BaseCommand):
    help = "加载演示数据（组织、用户、七份 2022 年申报表）/ load the demo data"

    def handle(self, *args: Any, **options: Any) -> None:
        load_demo()
        for username, display, role, org in DEMO_USERS:
            self.stdout.write(f"{username:14} {DEMO_PASSWORD}  {display} · {role} · {org}")
