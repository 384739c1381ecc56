"""jixiao.review."""
