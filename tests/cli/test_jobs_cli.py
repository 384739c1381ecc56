"""``jixiao jobs`` and ``jixiao job ID``: the queue as the operator sees it, with a progress bar."""

from __future__ import annotations

from typing import Any

import pytest
from click.testing import CliRunner

from jixiao.cli import main

pytestmark = pytest.mark.django_db


@pytest.fixture
def _no_migrate(monkeypatch: pytest.MonkeyPatch) -> None:
    # The test database is migrated already (and inside the test's transaction).
    monkeypatch.setattr("jixiao.cli.web._migrate", lambda: None)


@pytest.mark.usefixtures("_no_migrate")
@pytest.mark.parametrize(
    ("state", "done", "exit_code", "shown"),
    [
        ("done", 3, 0, "'exported': 3"),
        ("failed", 1, 1, "disk full"),
        ("running", 1, 0, "running 1/3 (33%)"),
    ],
)
def test_a_job_shows_its_state_result_or_error(
    django_user_model: Any, state: str, done: int, exit_code: int, shown: str
) -> None:
    from jixiao.db.jobs.models import Job

    user = django_user_model.objects.create(username="op")
    job = Job.objects.create(
        kind="export",
        user=user,
        title="2022",
        total=3,
        done=done,
        state=state,
        error="disk full" if state == "failed" else "",
        result={"included": [1, 2, 3], "missing": 0, "file": "x.zip", "size": 10},
    )
    result = CliRunner().invoke(main, ["job", str(job.pk)])
    assert result.exit_code == exit_code, result.output
    assert shown in result.output
    listing = CliRunner().invoke(main, ["jobs"])
    assert listing.exit_code == 0 and f"{done}/3" in listing.output and "export" in listing.output


@pytest.mark.usefixtures("_no_migrate")
def test_following_a_job_shows_the_bar_until_it_has_finished(
    django_user_model: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jixiao.db.jobs.models import Job

    user = django_user_model.objects.create(username="op")
    job = Job.objects.create(kind="review", user=user, total=4, state="running", result={"reviewed": []})
    ticks = iter([(2, "running"), (4, "done")])

    def sleep(_seconds: float) -> None:  # the worker's progress, one step per refresh
        done, state = next(ticks)
        Job.objects.filter(pk=job.pk).update(done=done, state=state)

    monkeypatch.setattr("jixiao.cli.jobs.time.sleep", sleep)
    result = CliRunner().invoke(main, ["job", str(job.pk), "--follow"])
    assert result.exit_code == 0, result.output
    assert "4/4" in result.output and "done 4/4 (100%)" in result.output


def test_an_unknown_job_is_an_error_not_a_traceback(db: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("jixiao.cli.web._migrate", lambda: None)
    result = CliRunner().invoke(main, ["job", "999999"])
    assert result.exit_code == 1 and "no job 999999" in result.output
