"""Models of 用户与组织 (Django app label ``accounts``)."""
