"""A job: long work (an import of thousands of forms) run by a worker, with its progress.

The queue itself is django-tasks' database backend (``django_tasks_db``); this row is what the user
sees: the state, ``done`` of ``total``, the result or the error, and a log. The work's input is kept
on the row (``payload``) so that a job retried after a crash resumes from ``done`` with nothing
else to look up.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobState(models.TextChoices):
    """Where a job is: waiting for a worker, running, finished, or stopped by an error."""

    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("进行中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class Job(models.Model):
    """One piece of long work and its progress, as the web page and the CLI show it."""

    kind = models.CharField(max_length=40)
    title = models.CharField(max_length=300, blank=True, default="")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    payload = models.JSONField(default=dict)
    result = models.JSONField(default=dict)
    error = models.TextField(blank=True, default="")
    log = models.TextField(blank=True, default="")
    task_id = models.CharField(max_length=64, blank=True, default="")
    attempts = models.PositiveIntegerField(default=0)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} {self.state} {self.done}/{self.total}"

    @property
    def percent(self) -> int:
        """Progress in whole percent (0 while the total is unknown)."""
        return (
            int(100 * self.done / self.total) if self.total else (100 if self.state == JobState.DONE else 0)
        )


class JobFile(models.Model):
    """A file a job made or was given: its result (an export's workbook), a part of the result
    made by one chunk (one declaration's form), or its input (the scan to read).

    Kept in the database rather than on a disk, so that a worker on another machine sharing the
    PostgreSQL can read what the web server stored and the web server can serve what any worker
    made. ``(job, role, key)`` is unique: a chunk done twice (a retry after a crash) finds its
    part already there and cannot store a second copy.
    """

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="files")
    role = models.CharField(max_length=10)  # "input", "part" or "result"
    key = models.CharField(max_length=100, default="")
    name = models.CharField(max_length=300)
    content_type = models.CharField(max_length=120, default="application/octet-stream")
    data = models.BinaryField()
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "role", "key"], name="job_file_once")]
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.role} {self.key} of job {self.job_id}"
