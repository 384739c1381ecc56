"""The data version watches the self-evaluations and monitoring reports too.

The self-evaluation dashboard is kept under the data version (jixiao.web.page_cache): a write to
either table, by any path, must replace the token as a write to a declaration does
(declarations/0011 says why triggers and how).
"""

from django.db import migrations

from jixiao.db.migration_sql import data_version_watch, on_each_database

WATCHED = ("evaluation_selfevaluationrecord", "evaluation_monitoringrecord")
FORWARD, BACKWARD = data_version_watch(WATCHED)


class Migration(migrations.Migration):
    dependencies = [
        ("declarations", "0011_data_version"),
        ("evaluation", "0003_workflow"),
    ]

    operations = [on_each_database("data version triggers", FORWARD, BACKWARD)]
