"""``python -m jixiao.web.manage build_indicator_library``: fill the 指标库 from the declarations."""

from typing import Any

from django.core.management.base import BaseCommand

from jixiao.services.library import build_library


class Command(BaseCommand):
    help = "从系统中的申报表生成指标库 / build the indicator library from the declarations"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--min-uses", type=int, default=1)

    def handle(self, *args: Any, **options: Any) -> None:
        added = build_library(options["min_uses"])
        self.stdout.write(f"指标库新增 {added} 条 / {added} library entries added")
