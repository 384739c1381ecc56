"""The job kinds besides the import (bulk export, batch review, recomputed actuals): started from their
pages, worked in chunks; a job killed mid-way and retried leaves exactly one copy of every result; a
job and its result are its owner's (and an administrator's) only."""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from typing import Any

import pytest

from jixiao.db.declarations.models import Declaration
from jixiao.db.jobs.models import Job, JobFile, JobState
from jixiao.services import export as export_svc
from jixiao.services import jobs
from jixiao.services import records as records_svc
from jixiao.services import review as review_svc

from .conftest import signed_in
from .records_helpers import CASES_CSV, upload_and_import
from .test_jobs import _work_the_queue

pytestmark = pytest.mark.django_db


class _Killed(BaseException):
    """Stands for the worker process being killed: no ``except Exception`` sees it."""


CRASHES = [
    pytest.param(RuntimeError("disk full"), JobState.FAILED, id="error"),
    pytest.param(_Killed(), JobState.RUNNING, id="killed"),
]


def _die_on_call(
    monkeypatch: pytest.MonkeyPatch, module: Any, name: str, n: int, crash: BaseException
) -> None:
    """Make ``module.name`` raise ``crash`` on its ``n``-th call, after doing its work."""
    real = getattr(module, name)
    calls = {"n": 0}

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        out = real(*args, **kwargs)
        if calls["n"] == n:
            raise crash
        return out

    monkeypatch.setattr(module, name, wrapper)


def _retry(job: Job, through_queue: bool) -> None:
    if through_queue:
        jobs.retry_job(job)
        _work_the_queue()
    else:
        jobs.run_job(job.pk, chunk=2)
    job.refresh_from_db()


def _job_of(response: Any) -> Job:
    assert response.status_code == 302, response.content[:500]
    assert response["Location"].startswith("/jobs/")
    return Job.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))


# -- bulk export -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("crash", "state_after_crash"), CRASHES)
@pytest.mark.parametrize("through_queue", [False, True])
def test_an_export_killed_mid_way_and_retried_holds_every_form_exactly_once(
    users: dict[str, Any],
    make_declaration: Any,
    monkeypatch: pytest.MonkeyPatch,
    crash: BaseException,
    state_after_crash: str,
    through_queue: bool,
) -> None:
    mine = [make_declaration("unit_a", name=f"城运项目{n}") for n in range(5)]
    make_declaration("unit_b", name="环卫项目")  # another department's: never in unit A's export
    client = signed_in(users["filler_a"])
    job = _job_of(client.post("/jobs/export/", {"job_fmt": "zip-xlsx"}))  # no filter: all the list shows
    assert (job.kind, job.total, job.state) == ("export", 5, JobState.QUEUED)

    # The worker dies in the second chunk, after storing its first form: the chunk rolls back whole.
    _die_on_call(monkeypatch, export_svc, "export_documents", 4, crash)
    with pytest.raises(type(crash)):
        jobs.run_job(job.pk, chunk=2)
    job.refresh_from_db()
    assert (job.state, job.done) == (state_after_crash, 2)
    assert JobFile.objects.filter(job=job, role="part").count() == 2  # the third form rolled back

    monkeypatch.undo()
    _retry(job, through_queue)
    assert (job.state, job.done) == (JobState.DONE, 5)
    files = JobFile.objects.filter(job=job)
    assert [f.role for f in files] == ["result"]  # the parts went into the zip, one result file
    archive = zipfile.ZipFile(io.BytesIO(bytes(files[0].data)))
    names = archive.namelist()
    assert len(names) == 5 and all(n.endswith(".xlsx") for n in names)
    assert Counter(n.split("-")[-1].removesuffix(".xlsx") for n in names) == Counter(
        {str(d.pk): 1 for d in mine}
    )
    assert sorted(job.result["included"]) == sorted(d.pk for d in mine)
    assert job.attempts == 2

    download = client.get(f"/jobs/{job.pk}/download/")
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    assert download.content == bytes(files[0].data)
    assert "filename*=UTF-8''" in download["Content-Disposition"]
    # Running the finished job again changes nothing.
    jobs.run_job(job.pk)
    assert JobFile.objects.filter(job=job).count() == 1


@pytest.mark.parametrize(("crash", "state_after_crash"), CRASHES)
def test_a_bulk_workbook_export_killed_while_writing_the_file_is_written_once(
    users: dict[str, Any],
    make_declaration: Any,
    monkeypatch: pytest.MonkeyPatch,
    crash: BaseException,
    state_after_crash: str,
) -> None:
    from openpyxl import load_workbook

    for n in range(3):
        make_declaration("unit_a", name=f"城运项目{n}", year=2023)
    make_declaration("unit_a", name="去年的项目", year=2022)
    client = signed_in(users["filler_a"])
    job = _job_of(client.post("/jobs/export/", {"job_fmt": "bulk", "year": "2023"}))  # the filter
    assert job.total == 3

    _die_on_call(monkeypatch, export_svc, "export_documents", 1, crash)  # the workbook, at the end
    with pytest.raises(type(crash)):
        jobs.run_job(job.pk, chunk=2)
    job.refresh_from_db()
    assert (job.state, job.done) == (state_after_crash, 3)
    assert not JobFile.objects.filter(job=job).exists()

    monkeypatch.undo()
    _retry(job, through_queue=False)
    assert job.state == JobState.DONE
    (only,) = JobFile.objects.filter(job=job)
    book = load_workbook(io.BytesIO(bytes(only.data)))
    cells = [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value]
    # One row per indicator (three each): every project three times, nothing twice over.
    assert Counter(v for v in cells if isinstance(v, str) and v.startswith("城运项目")) == Counter(
        {f"城运项目{n}": 3 for n in range(3)}
    )
    assert "去年的项目" not in cells


def test_a_job_and_its_file_are_its_owner_and_the_administrators_only(
    users: dict[str, Any], make_declaration: Any
) -> None:
    make_declaration("unit_a", name="城运项目")
    owner = signed_in(users["filler_a"])
    job = _job_of(owner.post("/jobs/export/", {"job_fmt": "zip-xlsx"}))
    jobs.run_job(job.pk)
    url = f"/jobs/{job.pk}/"
    assert owner.get(url).status_code == 200 and 'id="job-download"' in owner.get(url).content.decode()
    for name in ("filler_b", "head_a", "dept_a", "finance"):  # even the unit's head and its reviewers
        other = signed_in(users[name])
        for path in ("", "download/", "status.json", "progress/"):
            assert other.get(url + path).status_code == 404, (name, path)
        assert other.post(url + "retry/").status_code == 404
        assert f"/jobs/{job.pk}/" not in other.get("/jobs/").content.decode()
    admin = signed_in(users["admin"])
    assert admin.get(url + "download/").status_code == 200
    assert f"/jobs/{job.pk}/" in owner.get("/jobs/").content.decode()


def test_an_export_takes_only_what_the_user_may_see_and_leaves_out_what_went_meanwhile(
    users: dict[str, Any], make_declaration: Any
) -> None:
    a = make_declaration("unit_a", name="城运项目甲")
    b = make_declaration("unit_a", name="城运项目乙")
    theirs = make_declaration("unit_b", name="环卫项目")
    client = signed_in(users["filler_a"])
    # Ticked ids of another department's declaration are dropped when the job is made.
    job = _job_of(client.post("/jobs/export/", {"job_fmt": "zip-xlsx", "ids": [a.pk, b.pk, theirs.pk]}))
    assert sorted(job.payload["ids"]) == sorted([a.pk, b.pk]) and job.total == 2
    Declaration.objects.filter(pk=b.pk).delete()  # deleted before the worker reaches it
    jobs.run_job(job.pk)
    job.refresh_from_db()
    assert job.result["included"] == [a.pk] and job.result["missing"] == 1
    assert "1 deleted or out of scope, left out" in job.log
    assert client.get(f"/jobs/{job.pk}/status.json").json()["result"]["exported"] == 1


@pytest.mark.parametrize(
    ("data", "code", "status"),
    [
        ({"job_fmt": "docx"}, "JX-E796", 400),  # no such format
        ({"job_fmt": "zip-xlsx", "q": "没有这样的项目"}, "JX-E795", 400),  # the filter finds nothing
        ({"job_fmt": "zip-xlsx", "ids": ["x"], "year": "1999"}, "JX-E795", 400),
    ],
)
def test_an_export_that_cannot_start_answers_its_catalogued_error(
    users: dict[str, Any], make_declaration: Any, data: dict[str, Any], code: str, status: int
) -> None:
    make_declaration("unit_a")
    response = signed_in(users["filler_a"]).post("/jobs/export/", data)
    assert response.status_code == status and code in response.content.decode()
    assert not Job.objects.exists()


# -- batch review ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("crash", "state_after_crash"), CRASHES)
@pytest.mark.parametrize("through_queue", [False, True])
def test_a_batch_review_killed_mid_way_and_retried_reviews_every_declaration_once(
    users: dict[str, Any],
    orgs: dict[str, Any],
    make_declaration: Any,
    monkeypatch: pytest.MonkeyPatch,
    crash: BaseException,
    state_after_crash: str,
    through_queue: bool,
) -> None:
    year = [make_declaration("unit_a", name=f"城运项目{n}", year=2023) for n in range(5)]
    other_year = make_declaration("unit_a", name="去年的项目", year=2022)
    Declaration.objects.update(findings=[], findings_count=0, review_grade="")
    client = signed_in(users["filler_a"])
    job = _job_of(client.post("/jobs/review/", {"organisation": orgs["unit_a"].pk, "year": "2023"}))
    assert (job.kind, job.total) == ("review", 5)

    _die_on_call(monkeypatch, review_svc, "review_objects", 2, crash)
    with pytest.raises(type(crash)):
        jobs.run_job(job.pk, chunk=2)
    job.refresh_from_db()
    assert (job.state, job.done) == (state_after_crash, 2)
    assert len(job.result["reviewed"]) == 2

    monkeypatch.undo()
    _retry(job, through_queue)
    assert (job.state, job.done) == (JobState.DONE, 5)
    assert Counter(job.result["reviewed"]) == Counter({d.pk: 1 for d in year})
    assert all(Declaration.objects.filter(pk__in=[d.pk for d in year]).values_list("review_grade", flat=True))
    assert Declaration.objects.get(pk=other_year.pk).review_grade == ""  # not this job's year
    result = client.get(f"/jobs/{job.pk}/status.json").json()["result"]
    assert result["reviewed"] == 5 and sum(result["grades"].values()) == 5
    assert 'id="job-grades"' in client.get(f"/jobs/{job.pk}/").content.decode()


@pytest.mark.parametrize(
    ("user", "org", "year", "code", "status"),
    [
        ("filler_b", "unit_a", "2023", "JX-E710", 403),  # another department's unit
        ("filler_a", "unit_a2", "2023", "JX-E710", 403),  # a sibling unit
        ("filler_a", "unit_a", "2031", "JX-E795", 400),  # nothing that year
        ("filler_a", "unit_a", "", "JX-E795", 400),  # no year given
    ],
)
def test_a_batch_review_outside_the_users_scope_or_of_nothing_is_refused(
    users: dict[str, Any],
    orgs: dict[str, Any],
    make_declaration: Any,
    user: str,
    org: str,
    year: str,
    code: str,
    status: int,
) -> None:
    make_declaration("unit_a", year=2023)
    make_declaration("unit_a2", year=2023)
    response = signed_in(users[user]).post("/jobs/review/", {"organisation": orgs[org].pk, "year": year})
    assert response.status_code == status and code in response.content.decode()
    assert not Job.objects.exists()


def test_the_department_reviewer_may_review_a_unit_of_the_department(
    users: dict[str, Any], orgs: dict[str, Any], make_declaration: Any
) -> None:
    make_declaration("unit_a", status="submitted", year=2023)
    make_declaration("unit_a", status="draft", year=2023)  # not sent yet: not the reviewer's to see
    job = _job_of(
        signed_in(users["dept_a"]).post("/jobs/review/", {"organisation": orgs["unit_a"].pk, "year": 2023})
    )
    assert job.total == 1


# -- actuals recomputed from the records -----------------------------------------------------------


@pytest.fixture
def _records_dir(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIXIAO_RECORDS_DIR", str(tmp_path / "records"))


@pytest.mark.usefixtures("_records_dir")
@pytest.mark.parametrize(("crash", "state_after_crash"), CRASHES)
def test_recomputed_actuals_killed_mid_way_and_retried_hold_one_entry_per_declaration(
    users: dict[str, Any],
    make_declaration: Any,
    monkeypatch: pytest.MonkeyPatch,
    crash: BaseException,
    state_after_crash: str,
) -> None:
    projects = [
        make_declaration("unit_a", status="approved", name=f"城运项目{n}", year=2022) for n in range(3)
    ]
    make_declaration("unit_a", status="draft", name="未批复的项目", year=2022)  # not evaluable: left out
    client = signed_in(users["filler_a"])
    upload_and_import(client, CASES_CSV, "cases.csv")
    page = client.get("/records/").content.decode()
    assert 'id="job-actuals-form"' in page
    job = _job_of(client.post("/jobs/actuals/", {"month": "12"}))
    assert (job.kind, job.total) == ("actuals", 3)

    _die_on_call(monkeypatch, records_svc, "indicator_actuals", 2, crash)
    with pytest.raises(type(crash)):
        jobs.run_job(job.pk, chunk=1)
    job.refresh_from_db()
    assert (job.state, job.done, len(job.result["rows"])) == (state_after_crash, 1, 1)

    monkeypatch.undo()
    _retry(job, through_queue=False)
    assert job.state == JobState.DONE
    assert sorted(job.result["rows"]) == sorted(str(d.pk) for d in projects)
    for entry in job.result["rows"].values():
        timely = [r for r in entry["indicators"] if r["name"] == "一般案件处置及时性"]
        # 2 of the 4 托底 cases closed within 7 days (tests/web/test_records.py)
        assert len(timely) == 1 and timely[0]["value"] == "50.00%"
        assert (timely[0]["numerator"], timely[0]["denominator"]) == (2, 4)
        # the export ends on 9 March: the year-end figures say so beside the values
        assert entry["coverage"]["through"] == "2022-03-09"
    html = client.get(f"/jobs/{job.pk}/").content.decode()
    assert 'id="job-actuals"' in html and html.count("50.00%") == 3


@pytest.mark.usefixtures("_records_dir")
@pytest.mark.parametrize(
    ("user", "month", "code"),
    [("filler_b", "12", "JX-E820"), ("filler_a", "13", "JX-E820"), ("filler_a", "x", "JX-E820")],
)
def test_actuals_without_records_or_with_a_bad_month_are_refused(
    users: dict[str, Any], make_declaration: Any, user: str, month: str, code: str
) -> None:
    make_declaration("unit_a", status="approved", year=2022)
    make_declaration("unit_b", status="approved", year=2022)
    upload_and_import(signed_in(users["filler_a"]), CASES_CSV, "cases.csv")
    response = signed_in(users[user]).post("/jobs/actuals/", {"month": month})
    assert response.status_code == 400 and code in response.content.decode()
    assert not Job.objects.exists()


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("zh", "2026-12-01 10:00:00 第 1–2 份：导出 2\n失败：磁盘已满\nno separator here"),
        ("en", "2026-12-01 10:00:00 declarations 1–2: 2 exported\nfailed: disk full\nno separator here"),
    ],
)
def test_a_jobs_log_is_shown_in_the_readers_language(lang: str, expected: str) -> None:
    log = (
        "2026-12-01 10:00:00 第 1–2 份：导出 2 / declarations 1–2: 2 exported\n"
        "失败：磁盘已满 / failed: disk full\nno separator here\n"
    )
    assert jobs.in_language(log, lang) == expected
