"""Pages and API of department-wide targets and self-evaluation (部门整体支出绩效目标 / 自评)."""
