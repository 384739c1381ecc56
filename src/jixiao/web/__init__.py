"""jixiao.web."""
