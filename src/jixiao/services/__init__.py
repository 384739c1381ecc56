"""jixiao.services."""
