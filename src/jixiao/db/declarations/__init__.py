"""Models of 绩效目标申报 (Django app label ``declarations``)."""
