"""jixiao.evaluation."""
