"""Large imports as background jobs: queued in the database, worked by a worker, with progress; a job
killed mid-way and retried leaves exactly one copy of every declaration."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django_tasks_db.management.commands import db_worker

from jixiao.db.declarations.models import Declaration, PendingImport
from jixiao.db.jobs.models import Job, JobState
from jixiao.formats.json import from_dict
from jixiao.services import jobs
from jixiao.services.review import review_objects

from .conftest import signed_in

pytestmark = pytest.mark.django_db


class _Killed(BaseException):
    """Stands for the worker process being killed: no ``except Exception`` sees it."""


def _upload(client: Any, seed: Path) -> int:
    response = client.post(
        "/declarations/import/", {"file": SimpleUploadedFile("seed.txt", seed.read_bytes())}
    )
    assert response.status_code == 302
    return int(response["Location"].rstrip("/").rsplit("/", 1)[1])


def _work_the_queue() -> None:
    """What `jixiao worker --batch` does: the real db_worker over the tasks queued in the database.

    The worker closes connections it takes for stale between tasks; here its connection is the
    test's own, inside the test's transaction, so that check is left out (mock.patch, not the queue).
    """
    with mock.patch(f"{db_worker.__name__}.close_old_connections"):
        call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)


def test_a_large_import_is_queued_shows_its_progress_and_the_worker_imports_it(
    users: dict[str, Any], seed_file: Path, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.IMPORT_JOB_MIN = 5  # the seed's seven forms count as a large import
    client = signed_in(users["filler_a"])
    pk = _upload(client, seed_file)
    with django_capture_on_commit_callbacks(execute=True):  # the task is queued once the claim commits
        response = client.post(f"/declarations/import/{pk}/")
    assert response.status_code == 302 and response["Location"].startswith("/jobs/")
    url = response["Location"]
    page = client.get(url).content.decode()
    assert 'id="job-progress"' in page and "0 / 7" in page and 'hx-trigger="every 1s"' in page
    assert client.get(url + "status.json").json() | {"id": 0} == {
        "id": 0,
        "kind": "import",
        "state": "queued",
        "state_label": "排队中",
        "done": 0,
        "total": 7,
        "percent": 0,
        "error": "",
    }
    assert Declaration.objects.count() == 0  # nothing is imported inside the request
    # Confirming again (a double click, another tab) queues nothing more.
    again = client.post(f"/declarations/import/{pk}/")
    assert again.status_code == 302 and not again["Location"].startswith("/jobs/")
    assert Job.objects.count() == 1

    _work_the_queue()

    status = client.get(url + "status.json").json()
    assert (status["state"], status["done"], status["total"], status["percent"]) == ("done", 7, 7, 100)
    assert status["result"] == {"created": 7, "updated": 0, "skipped": 0}
    assert Declaration.objects.filter(organisation=users["filler_a"].organisation).count() == 7
    assert all(d.review_grade for d in Declaration.objects.all())  # reviewed, as a small import is
    panel = client.get(url + "progress/").content.decode()
    assert 'id="job-result"' in panel and "hx-trigger" not in panel  # polling stops when done
    # Another user cannot see the job, nor learn that it exists.
    other = signed_in(users["filler_b"])
    assert other.get(url).status_code == 404 and other.get(url + "status.json").status_code == 404
    # The polling views answer the 404 in JSON (htmx and scripts read it), the page as a page.
    for path in ("status.json", "progress/"):
        assert other.get(url + path).json()["code"] == "JX-E404", path
    assert other.get(url)["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    ("crash", "state_after_crash"),
    [
        (RuntimeError("disk full"), JobState.FAILED),  # an error: recorded, the job stops
        (_Killed(), JobState.RUNNING),  # the worker killed: nothing recorded, the job looks running
    ],
)
@pytest.mark.parametrize("retry_through_queue", [False, True])
def test_a_job_killed_mid_way_and_retried_leaves_exactly_one_copy_of_every_declaration(
    users: dict[str, Any],
    seed_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    crash: BaseException,
    state_after_crash: str,
    retry_through_queue: bool,
    django_capture_on_commit_callbacks: Any,
) -> None:
    user = users["filler_a"]
    pk = _upload(signed_in(user), seed_file)
    names = Counter(from_dict(d).project.name for d in PendingImport.objects.get(pk=pk).documents)
    assert len(names) == 7
    job = jobs.claim_import_job(user, pk)  # queued, but not worked (the test's transaction never commits)
    assert job is not None and jobs.claim_import_job(user, pk) is None  # claimed once

    # The worker dies in the middle of the third chunk, after its declarations were created.
    real_import = jobs.import_documents
    calls = {"n": 0}

    def import_then_die(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        created = real_import(*args, **kwargs)
        if calls["n"] == 3:
            raise crash
        return created

    monkeypatch.setattr(jobs, "import_documents", import_then_die)
    with pytest.raises(type(crash)):
        jobs.run_import_job(job.pk, chunk=2)
    job.refresh_from_db()
    assert (job.state, job.done) == (state_after_crash, 4)  # two chunks committed, the third rolled back
    assert Declaration.objects.count() == 4

    monkeypatch.setattr(jobs, "import_documents", real_import)
    if retry_through_queue:
        monkeypatch.setattr(jobs, "IMPORT_CHUNK", 2)
        jobs.retry_job(job)
        _work_the_queue()
    else:
        jobs.run_import_job(job.pk, chunk=2)
    job.refresh_from_db()
    assert (job.state, job.done, job.total) == (JobState.DONE, 7, 7)
    stored = Counter(Declaration.objects.values_list("project_name", flat=True))
    assert stored == Counter({name.strip()[:300]: 1 for name in names})  # every form exactly once
    assert sorted(job.result["created"]) == sorted(Declaration.objects.values_list("pk", flat=True))
    assert all(d.review_grade for d in Declaration.objects.all())
    # The rules across the unit's declarations ran at the end over all seven: reviewing them all
    # together again changes nothing stored.
    assert "reviewed with the unit's other declarations of the year" in job.log
    stored_review = {d.pk: (d.findings, d.review_grade) for d in Declaration.objects.all()}
    review_objects(list(Declaration.objects.all()))
    assert {d.pk: (d.findings, d.review_grade) for d in Declaration.objects.all()} == stored_review
    assert job.attempts == 2
    if state_after_crash == JobState.FAILED:
        assert "失败：disk full / failed: disk full" in job.log
    # Running the finished job once more does nothing.
    jobs.run_import_job(job.pk, chunk=2)
    assert Declaration.objects.count() == 7


def test_a_job_whose_worker_died_can_be_resumed_from_its_page(users: dict[str, Any], seed_file: Path) -> None:
    from datetime import timedelta

    from django.utils import timezone

    client = signed_in(users["filler_a"])
    job = jobs.claim_import_job(users["filler_a"], _upload(client, seed_file))
    assert job is not None
    url = f"/jobs/{job.pk}/"
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING)
    assert 'id="job-retry"' not in client.get(url).content.decode()  # running and recent: no offer
    Job.objects.filter(pk=job.pk).update(updated=timezone.now() - timedelta(hours=1))
    assert 'id="job-retry"' in client.get(url).content.decode()  # silent for an hour: offered
    assert client.post(url + "retry/").status_code == 302
    _work_the_queue()
    job.refresh_from_db()
    assert (job.state, job.done) == (JobState.DONE, 7) and Declaration.objects.count() == 7
