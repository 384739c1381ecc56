"""A corpus run as a job (`jixiao corpus … --job`): queued in the application's database, worked by
`jixiao worker` chunk by chunk, one Parquet part per chunk and table; a job killed mid-way and retried
leaves every file's rows exactly once; bad input is refused in one line with exit code 2."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest import mock

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

import jixiao.corpus.dataset as dataset
from conftest import declaration
from jixiao.cli import main
from jixiao.corpus import TABLES
from jixiao.services import file_jobs, jobs

pytestmark = pytest.mark.django_db

UNITS = [f"上海市第{n}城市运行中心" for n in range(1, 8)]


class _Killed(BaseException):
    """Stands for the worker process being killed: no ``except Exception`` sees it."""


def _work_the_queue() -> None:
    """What `jixiao worker --batch` does: the real db_worker over the tasks queued in the database
    (its check for stale connections left out: here the connection is the test's own)."""
    from django.core.management import call_command
    from django_tasks_db.management.commands import db_worker

    with mock.patch(f"{db_worker.__name__}.close_old_connections"):
        call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)


@pytest.fixture
def _no_migrate(monkeypatch: pytest.MonkeyPatch) -> None:
    # The test database is migrated already (and inside the test's transaction).
    monkeypatch.setattr("jixiao.cli.web._migrate", lambda: None)


@pytest.fixture
def corpus(write_forms: Callable[..., Path]) -> Path:
    """Seven one-form files and a broken one (eight files, one failure)."""
    for n, unit in enumerate(UNITS):
        write_forms(f"f{n}.json", [declaration(unit, 2022, {"处置案件数": "≥100件"})])
    broken = write_forms("f7.json", [])
    broken.write_text("{ not json", encoding="utf-8")
    return broken.parent


def _queue(corpus: Path, out: Path, *extra: str) -> Any:
    from jixiao.db.jobs.models import Job

    result = CliRunner().invoke(main, ["corpus", str(corpus), "-o", str(out), "--job", *extra])
    assert result.exit_code == 0, result.output
    job = Job.objects.get()
    assert f"#{job.pk}" in result.output and f"jixiao job {job.pk} --follow" in result.output
    return job


@pytest.mark.usefixtures("_no_migrate")
@pytest.mark.parametrize(
    ("crash", "through_queue"),
    [
        pytest.param(_Killed(), True, id="killed-queue"),
        pytest.param(RuntimeError("disk full"), False, id="error-direct"),
    ],
)
def test_a_corpus_job_killed_mid_way_and_retried_holds_every_files_rows_once(
    django_user_model: Any,
    corpus: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    crash: BaseException,
    through_queue: bool,
) -> None:
    from jixiao.db.jobs.models import JobState

    django_user_model.objects.create(username="op", role="admin")
    out = tmp_path / "out"
    job = _queue(corpus, out)
    assert (job.kind, job.total, job.state, job.user.username) == ("corpus", 8, JobState.QUEUED, "op")

    # The worker dies in the second chunk after its parts are on disk, before the commit.
    real = dataset.write_chunk
    calls = {"n": 0}

    def write_then_die(*args: Any) -> Any:
        calls["n"] += 1
        counts = real(*args)
        if calls["n"] == 2:
            raise crash
        return counts

    monkeypatch.setattr(dataset, "write_chunk", write_then_die)
    with pytest.raises(type(crash)):
        jobs.run_job(job.pk, chunk=3)
    job.refresh_from_db()
    assert job.done == 3 and job.state == (JobState.RUNNING if through_queue else JobState.FAILED)
    assert (out / "documents" / "chunk-00000003.parquet").exists()  # the cut-off chunk's part is left

    monkeypatch.setattr(dataset, "write_chunk", real)
    if through_queue:
        monkeypatch.setattr(file_jobs, "CORPUS_CHUNK", 3)
        retried = CliRunner().invoke(main, ["job", str(job.pk), "--retry"])  # what an operator types
        assert retried.exit_code == 0 and "queued 3/8" in retried.output, retried.output
        _work_the_queue()
    else:
        jobs.run_job(job.pk, chunk=2)  # another chunk size: the parts still hold each file once
    job.refresh_from_db()
    assert (job.state, job.done, job.total) == (JobState.DONE, 8, 8)
    tables = {t: pq.read_table(out / t).to_pylist() for t in TABLES}
    files = Counter(Path(d["file"]).name for d in tables["documents"])
    assert files == Counter({f"f{n}.json": 1 for n in range(7)})  # every form exactly once
    assert [(Path(f["file"]).name, f["code"]) for f in tables["failures"]] == [("f7.json", "JX-E500")]
    assert len(tables["indicators"]) == 7
    summary = jobs.job_status(job)["result"]
    assert summary | {"out": ""} == {
        "files": 8,
        "documents": 7,
        "indicators": 7,
        "findings": len(tables["findings"]),
        "failed": 1,
        "failures": {"JX-E500": 1},
        "out": "",
    }
    assert summary["out"] == str(out.resolve())
    assert job.result["failed"] == [[str((corpus / "f7.json").resolve()), "JX-E500"]]
    shown = CliRunner().invoke(main, ["job", str(job.pk)])
    assert shown.exit_code == 0 and "corpus" in shown.output and "'documents': 7" in shown.output


@pytest.mark.usefixtures("_no_migrate")
@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["no-such-folder"], "JX-E101"),
        (["EMPTY"], "JX-E170"),
        (["CORPUS", "--profile", "nowhere-1999"], "JX-E120"),
        (["CORPUS", "--user", "nobody"], "JX-E798"),
    ],
)
def test_a_corpus_job_with_bad_input_is_refused_in_one_line(
    django_user_model: Any, corpus: Path, tmp_path: Path, args: list[str], code: str
) -> None:
    from jixiao.db.jobs.models import Job

    django_user_model.objects.create(username="op", role="admin")
    (tmp_path / "empty").mkdir()
    args = [str(tmp_path / "empty") if a == "EMPTY" else str(corpus) if a == "CORPUS" else a for a in args]
    result = CliRunner().invoke(main, ["corpus", *args, "-o", str(tmp_path / "out"), "--job"])
    assert result.exit_code == 2, result.output
    assert code in result.output and "Traceback" not in result.output
    assert not Job.objects.exists()


@pytest.mark.usefixtures("_no_migrate")
def test_a_corpus_job_needs_an_owner(corpus: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["corpus", str(corpus), "-o", str(tmp_path / "out"), "--job"])
    assert result.exit_code == 2 and "JX-E798" in result.output


@pytest.mark.usefixtures("_no_migrate")
def test_a_corpus_job_whose_output_cannot_be_written_is_refused(
    django_user_model: Any, corpus: Path, tmp_path: Path
) -> None:
    from jixiao.db.jobs.models import Job

    django_user_model.objects.create(username="op", role="admin")
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    out = tmp_path / "a-file" / "out"  # under a file: no folder can be made there
    result = CliRunner().invoke(main, ["corpus", str(corpus), "-o", str(out), "--job"])
    assert result.exit_code == 2 and "JX-E108" in result.output and "Traceback" not in result.output
    assert not Job.objects.exists()
