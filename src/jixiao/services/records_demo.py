"""Demo records: a slice of the synthetic district (a twentieth of a year's volume) for the unit.

Enough for the seed projects to show computed actuals, lights (some red: the =100 % targets and
the 当天回访 share miss) and a drill-down, while ``make demo`` still starts in a few seconds.
"""

from __future__ import annotations

from typing import Any

from jixiao.db.accounts.models import Organisation
from jixiao.db.records.models import CaseRecord
from jixiao.records.synthetic import generate, patrol_logs
from jixiao.services.records import rebuild_snapshot, store_table

__all__ = ["DEMO_SCALE", "load_records_demo"]

DEMO_SCALE = 0.03  # 9,000 grid cases, 3,000 work orders and their call-backs
PATROL_SCALE = 0.01  # 30 单元网格 patrolled daily: 11,000 patrol logs


def load_records_demo(user: Any, org: Organisation, year: int = 2022) -> int:
    """Load the slice into ``org`` unless it holds records already; return the cases loaded."""
    if CaseRecord.objects.filter(organisation=org).exists():
        return 0
    data = generate(year, scale=DEMO_SCALE, seed=20220101)
    store_table(user, org, data.cases, "case", "演示：青浦区网格与热线（合成数据）.csv")
    store_table(user, org, data.callbacks, "callback", "演示：回访记录（合成数据）.csv")
    patrols, cells = patrol_logs(year, scale=PATROL_SCALE, seed=20220101)
    store_table(user, org, cells, "cell", "演示：单元网格清单（合成数据）.csv")
    store_table(user, org, patrols, "patrol", "演示：巡查记录（合成数据）.csv")
    rebuild_snapshot(org)
    return int(data.cases.num_rows)
