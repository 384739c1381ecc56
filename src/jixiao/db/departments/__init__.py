"""Department-wide targets and self-evaluations (部门整体支出绩效目标 / 自评)."""
