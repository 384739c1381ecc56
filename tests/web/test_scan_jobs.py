"""A scan of several pages is read by a job, page by page, then previewed as any upload: a job killed
mid-way and retried reads no committed page again and leaves one pending import; a scan that cannot
be read fails the job with its catalogued error, never a traceback."""

from __future__ import annotations

import functools
import io
from pathlib import Path
from typing import Any

import pypdfium2
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

import jixiao.formats.scan as scan
from jixiao.db.declarations.models import Declaration, PendingImport
from jixiao.db.jobs.models import Job, JobFile, JobState
from jixiao.domain.errors import FormatError
from jixiao.formats import read_path
from jixiao.formats.render.pdf import render_pdf
from jixiao.services import jobs

from .conftest import signed_in
from .test_jobs import _work_the_queue

pytestmark = pytest.mark.django_db


class _Killed(BaseException):
    """Stands for the worker process being killed: no ``except Exception`` sees it."""


@functools.cache
def _image_pdf(seed: Path, first: int, last: int, dpi: int = 150) -> bytes:
    """The seed's forms ``first``..``last - 1`` rendered, rasterised and saved as an image-only PDF."""
    pdf = pypdfium2.PdfDocument(render_pdf(read_path(seed)[first:last]))
    try:
        pages = [pdf[n].render(scale=dpi / 72).to_pil().convert("RGB") for n in range(len(pdf))]
    finally:
        pdf.close()
    out = io.BytesIO()
    pages[0].save(out, format="PDF", save_all=True, append_images=pages[1:], resolution=dpi)
    return out.getvalue()


def _blank_tiff(pages: int) -> bytes:
    frames = [Image.new("RGB", (400, 560), "white") for _ in range(pages)]
    out = io.BytesIO()
    frames[0].save(out, format="TIFF", save_all=True, append_images=frames[1:])
    return out.getvalue()


def _upload(client: Any, name: str, data: bytes) -> Any:
    return client.post("/declarations/import/", {"file": SimpleUploadedFile(name, data)})


def _job_of(response: Any) -> Job:
    assert response.status_code == 302, response.content[:500]
    assert response["Location"].startswith("/jobs/")
    return Job.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))


@pytest.mark.slow
@pytest.mark.parametrize(
    ("crash", "state_after_crash", "through_queue"),
    [
        pytest.param(_Killed(), JobState.RUNNING, True, id="killed-queue"),
        pytest.param(RuntimeError("disk full"), JobState.FAILED, False, id="error-direct"),
    ],
)
def test_a_scan_job_killed_mid_way_and_retried_reads_each_page_once_and_previews_once(
    users: dict[str, Any],
    seed_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    crash: BaseException,
    state_after_crash: str,
    through_queue: bool,
) -> None:
    client = signed_in(users["filler_a"])
    job = _job_of(_upload(client, "scan.pdf", _image_pdf(seed_file, 1, 3)))
    assert (job.kind, job.total, job.state) == ("scan", 2, JobState.QUEUED)
    assert Declaration.objects.count() == 0 and not PendingImport.objects.exists()  # nothing read yet
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "0 / 2" in page and "扫描件识别" in page and 'hx-trigger="every 1s"' in page

    # The worker dies on the second page, after recognising it: its chunk rolls back whole.
    real = scan.page_grids
    read: list[tuple[int, int]] = []
    dying = {"on": True}

    def read_then_die(data: bytes, name: str | None, start: int, end: int) -> Any:
        read.append((start, end))
        grids = real(data, name, start, end)
        if len(read) == 2 and dying["on"]:
            raise crash
        return grids

    monkeypatch.setattr(scan, "page_grids", read_then_die)
    with pytest.raises(type(crash)):
        jobs.run_job(job.pk)
    job.refresh_from_db()
    assert (job.state, job.done) == (state_after_crash, 1)
    assert list(JobFile.objects.filter(job=job, role="part").values_list("key", flat=True)) == ["0"]

    dying["on"] = False  # the retry runs to the end
    if through_queue:
        jobs.retry_job(job)
        _work_the_queue()
    else:
        jobs.run_job(job.pk)
    job.refresh_from_db()
    assert (job.state, job.done, job.total) == (JobState.DONE, 2, 2)
    assert read == [(0, 1), (1, 2), (1, 2)]  # the committed first page was not read again
    pending = PendingImport.objects.get()  # exactly one pending import
    assert job.result == {"pending": pending.pk, "documents": 2}
    assert not JobFile.objects.filter(job=job).exists()  # the file and the pages are not kept
    jobs.run_job(job.pk)  # the finished job run again does nothing
    assert PendingImport.objects.count() == 1
    if state_after_crash == JobState.FAILED:
        assert "失败：disk full / failed: disk full" in job.log

    # The page leads to the preview (htmx's poll is sent there), which imports as any upload's.
    url = f"/declarations/import/{pending.pk}/"
    assert f'href="{url}"' in client.get(f"/jobs/{job.pk}/").content.decode()
    assert client.get(f"/jobs/{job.pk}/progress/", headers={"HX-Request": "true"})["HX-Redirect"] == url
    preview = client.get(url).content.decode()
    assert "城运案件托底处置费" in preview and "2 份申报表" in preview
    assert client.post(url).status_code == 302
    assert Declaration.objects.count() == 2
    assert 'id="job-preview"' not in client.get(f"/jobs/{job.pk}/").content.decode()  # confirmed


def test_a_scan_with_no_text_fails_its_job_with_the_catalogued_error(users: dict[str, Any]) -> None:
    client = signed_in(users["filler_a"])
    job = _job_of(_upload(client, "blank.tiff", _blank_tiff(2)))
    with pytest.raises(FormatError):
        jobs.run_job(job.pk)
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.done == 2
    assert job.error.startswith("[JX-E493] 扫描件中没有识别出文字")
    response = client.get(f"/jobs/{job.pk}/")
    page = response.content.decode()
    assert 'id="job-error"' in page and "JX-E493" in page and "Traceback" not in page
    # Never restored by the back button as it was while running (its poll would start again).
    assert response["Cache-Control"] == "no-store"
    assert not PendingImport.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("damaged.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "JX-E490"),  # read in the request, as today
        ("long.tiff", _blank_tiff(3), "JX-E492"),  # above the page limit: refused before any job
    ],
)
def test_an_unreadable_or_too_long_scan_is_refused_at_the_upload(
    users: dict[str, Any], monkeypatch: pytest.MonkeyPatch, name: str, data: bytes, code: str
) -> None:
    monkeypatch.setattr(scan, "MAX_SCAN_PAGES", 2)
    response = _upload(signed_in(users["filler_a"]), name, data)
    assert response.status_code == 400
    assert code in response.content.decode() and "Traceback" not in response.content.decode()
    assert not Job.objects.exists()


def test_a_scan_below_the_jobs_page_count_is_still_read_in_the_request(
    users: dict[str, Any], settings: Any
) -> None:
    settings.SCAN_JOB_PAGES = 3  # configurable: below it, the upload reads the scan as before
    response = _upload(signed_in(users["filler_a"]), "blank.tiff", _blank_tiff(2))
    assert response.status_code == 400 and "JX-E493" in response.content.decode()
    assert not Job.objects.exists()
