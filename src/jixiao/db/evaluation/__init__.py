"""Models of 绩效自评与运行监控 (Django app label ``evaluation``)."""
