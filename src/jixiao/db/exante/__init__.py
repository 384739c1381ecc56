"""事前绩效评估 sheets attached to declarations (new projects above a region's amount)."""
