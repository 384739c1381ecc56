"""The database: Django models and their migrations, one Django app per area.

Only the use cases (``jixiao.services``) and the web layer import these models; the core
(``domain``, ``review``, ``evaluation``, ``formats``) never does.
"""
