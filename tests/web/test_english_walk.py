"""Every page in English: no Han character outside what users wrote.

On the demo data (``jixiao demo``'s organisations, users, the seven seed declarations published with
their review, the 2023 drafts, the self-evaluations and monitoring reports, the records slice), each
demo user signs in with English chosen on the language switch and walks every page reachable from
the navigation (links followed breadth-first, each URL shape visited a bounded number of times), then
every URL pattern of ``jixiao.web.urls`` with a real object id, the admin's index and changelists,
the pages signed out and the error pages. What a page shows is its text, the attributes a person
reads (title, placeholder, aria-label, alt, button values) and the JSON the page's charts draw.

User data is whitelisted by value, never by page: every string a user or a file put in the database
(names of units and projects, the documents' texts, comments, imported records) and what the test
uploads itself are cut out of the page before looking for Han characters. The core's messages
(review findings and their suggestions, the framework's names, the official tables, the records'
descriptions) are not user data and stay in: each of them must be English.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone

from jixiao.services.demo import DEMO_USERS, load_demo, load_evaluation_demo

from .records_helpers import CASES_CSV

pytestmark = pytest.mark.django_db

# Han characters (CJK ideographs); Chinese punctuation left in English text is not looked for.
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
HAN_ONLY = HAN
# An official document keeps its Chinese name in English text (财预〔2015〕88号, 10号).
CITATION = re.compile(r"[\u4e00-\u9fff]*〔\d{4}〕\d+号|\b\d+号")
# Attributes a person reads; ``value`` only where it is a button's label.
READ_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
# Not pages: actions that only answer a POST, downloads (files in the official Chinese layouts), the
# API (its messages carry message_zh and message_en; tests/web/test_api_robustness.py covers them).
NOT_PAGES = {
    "logout": "POST only",
    "set_language": "POST only (the walk uses it to choose English)",
    "live_check": "POST only (the editor's live check; its JSON is checked below)",
    "export_selected": "a download",
    "export_json": "a download",
    "export_file": "a download",
    "template_download": "a download",
    "rereview": "POST only",
    "take_action": "POST only",
    "job_retry": "POST only",
    "job_start_export": "POST only (its form is on the declarations list)",
    "job_start_review": "POST only (its form is on the declarations list)",
    "job_start_actuals": "POST only (its form is on the records page)",
    "job_download": "a download",
    "evaluation:self_evaluation_score": "POST only (htmx), the panel it answers is on the edit page",
    "evaluation:self_evaluation_publish": "POST only",
    "evaluation:self_evaluation_action": "POST only",
    "evaluation:self_evaluation_export": "a download",
    "evaluation:monitoring_check": "POST only (htmx), the panel it answers is on the edit page",
    "evaluation:monitoring_export": "a download",
    "evaluation:monitoring_action": "POST only",
    "records:decide": "POST only",
    "records:preview": "POST only (htmx)",
    "records:upload": "POST only (its form is on the records page)",
    "adjustment_action": "POST only",
    "departments:import": "POST only (its form is on the departments page)",
    "departments:template": "a download",
    "departments:action": "POST only",
    "departments:export": "a download",
    "departments:self_evaluation_action": "POST only",
    "departments:self_evaluation_export": "a download",
    "evaluation:results_export": "a download",
}
SKIP_PREFIXES = ("/logout", "/i18n/", "/static/", "/api/")
DOWNLOAD = re.compile(r"(export\.[a-z]+|template\.xlsx|\.json|\.csv|\.xlsx|\.pdf)$")
VISITS_PER_SHAPE = 2
# DOM regions whose Chinese is right in English: the language switch names Chinese in Chinese, and
# the admin's read-only fields print the stored column as it is (the canonical JSON, findings).
REGIONS = ("form#lang-form", "div.readonly")
# Text quoted from what a user wrote, inside a message of the core ('经过三年努力、累计').
QUOTED = re.compile(r"'([^']+)'|「([^」]+)」|“([^”]+)”|\"([^\"]+)\"")


# --- what users put in the database --------------------------------------------------------------

NOT_USER_DATA = {
    ("declarations", "declaration", "findings"),
    ("declarations", "declaration", "search_text"),
    ("jobs", "job", "log"),
    ("jobs", "job", "error"),
    ("jobs", "job", "result"),
}
NOT_USER_JSON_KEYS = {"findings", "warnings", "problems", "messages"}


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in NOT_USER_JSON_KEYS:
                yield str(key)
                yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def user_data() -> set[str]:
    """Every string users (or their files) put in the database, but the vocabulary columns."""
    out: set[str] = set()
    for model in apps.get_models():
        if not model.__module__.startswith("jixiao."):
            continue
        meta = model._meta
        fields = [
            f
            for f in meta.get_fields()
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
            and not getattr(f, "choices", None)
            and (meta.app_label, meta.model_name, f.name) not in NOT_USER_DATA
        ]
        if not fields:
            continue
        for row in model._default_manager.values_list(*[f.name for f in fields]):
            for value in row:
                out.update(s.strip() for s in _strings(value) if s and HAN_ONLY.search(s))
    # Django stores the permissions' names at migrate time, in the models' Chinese verbose names.
    from django.contrib.auth.models import Permission

    out.update(name for name in Permission.objects.values_list("name", flat=True) if HAN_ONLY.search(name))
    return out


# --- what a page shows ---------------------------------------------------------------------------


class _Text(HTMLParser):
    """The text a person reads on a page, each piece with the id/class path of its element."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str]] = []
        self.pieces: list[tuple[str, str]] = []
        self.script_type: str | None = None

    def where(self) -> str:
        return " > ".join(tag + marker for tag, marker in self.stack[-4:])

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        marker = (f"#{a['id']}" if a.get("id") else "") + "".join(f".{c}" for c in a.get("class", "").split())
        for name in READ_ATTRIBUTES:
            if a.get(name):
                self.pieces.append((f"{self.where()} > {tag}{marker}[{name}]", a[name]))
        if tag == "input" and a.get("type") in ("submit", "button") and a.get("value"):
            self.pieces.append((f"{self.where()} > {tag}{marker}[value]", a["value"]))
        if tag not in self.VOID:
            self.stack.append((tag, marker))
        if tag == "script":
            self.script_type = a.get("type", "text/javascript")

    def handle_endtag(self, tag: str) -> None:
        for n in range(len(self.stack) - 1, -1, -1):
            if self.stack[n][0] == tag:
                del self.stack[n:]
                break
        if tag == "script":
            self.script_type = None

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1][0] == "style":
            return
        if self.script_type is not None:
            if self.script_type == "application/json" and data.strip():
                self.pieces.extend((self.where() + " (JSON)", s) for s in _strings(json.loads(data)))
            return
        if data.strip():
            self.pieces.append((self.where(), data))


def shown_text(body: str, content_type: str) -> list[tuple[str, str]]:
    """Return (where, text) of everything a person reads in a response."""
    if content_type.startswith("application/json"):
        return [("JSON", s) for s in _strings(json.loads(body))]
    parser = _Text()
    parser.feed(body)
    return parser.pieces


class Walk:
    """Han characters found, per page, once the user data is cut out."""

    def __init__(self, data: Iterable[str]) -> None:
        values = sorted({v for v in data if len(v) >= 2 or not HAN_ONLY.fullmatch(v)}, key=len, reverse=True)
        # A one-character value (是, 否) only where it stands alone: as a whole piece or between " · ".
        self.single = {v for v in data if len(v) == 1 and HAN_ONLY.fullmatch(v)}
        self.user_data = re.compile("|".join(re.escape(v) for v in values)) if values else None
        self.all_user_text = "\x00".join(values)
        self.problems: dict[str, list[str]] = defaultdict(list)
        self.visited: list[tuple[str, str, int]] = []

    def check(self, who: str, url: str, response: Any) -> None:
        content_type = response.get("Content-Type", "")
        self.visited.append((who, url, response.status_code))
        if not content_type.startswith(("text/html", "application/json")):
            return
        for where, text in shown_text(response.content.decode("utf-8"), content_type):
            if any(region in where for region in REGIONS):
                continue
            if text.rstrip().endswith("…") and text.rstrip(" …").strip() in self.all_user_text:
                continue  # a user's text cut short for a list
            rest = CITATION.sub(" ", text)
            rest = self.user_data.sub(" ", rest) if self.user_data else rest
            rest = " · ".join(p for p in rest.split(" · ") if p.strip() not in self.single)
            rest = QUOTED.sub(lambda m: " " if self._quotes_user(m) else m.group(0), rest)
            if HAN.search(rest):
                left = "".join(HAN.findall(rest))[:20]
                self.problems[url].append(f"{where}: {text.strip()[:120]!r} [left: {left}]")

    def _quotes_user(self, match: re.Match[str]) -> bool:
        """A quote of the user's words: every run of Han characters in it is in what users wrote."""
        quoted = next(g for g in match.groups() if g)
        runs = re.findall(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+", quoted)
        return all(run in self.all_user_text for run in runs)


# --- the walk ------------------------------------------------------------------------------------


def _links(body: str) -> Iterator[str]:
    for href in re.findall(r'href="(/[^"#]*)"', body):
        yield href.replace("&amp;", "&")


def _shape(url: str) -> str:
    parts = urlsplit(url)
    return re.sub(r"\d+", "N", parts.path) + (
        "?" + re.sub(r"=[^&]*", "=", parts.query) if parts.query else ""
    )


def _followable(url: str) -> bool:
    path = urlsplit(url).path
    if path.startswith(SKIP_PREFIXES) or DOWNLOAD.search(path):
        return False
    if path.startswith("/admin/"):
        # the index, an app's index, the changelists, one change page and its history
        return bool(re.fullmatch(r"/admin/(\w+/(\w+/(\d+/(change/|history/)?)?)?)?", path)) and "?" not in url
    return True


def english_client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    return client


def crawl(walk: Walk, who: str, client: Client, start: list[str], budget: int = 400) -> None:
    seen: set[str] = set()
    per_shape: dict[str, int] = defaultdict(int)
    queue = list(start)
    while queue and budget > 0:
        url = queue.pop(0)
        if url in seen or not _followable(url) or per_shape[_shape(url)] >= VISITS_PER_SHAPE:
            continue
        seen.add(url)
        per_shape[_shape(url)] += 1
        budget -= 1
        response = client.get(url)
        assert response.status_code < 500, (who, url, response.status_code)
        if response.status_code in (301, 302):
            queue.insert(0, response["Location"])
            continue
        walk.check(who, url, response)
        if response.get("Content-Type", "").startswith("text/html"):
            queue.extend(_links(response.content.decode("utf-8")))


def _patterns(
    resolver: URLResolver | None = None, prefix: str = "", ns: str = ""
) -> Iterator[tuple[str, str]]:
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if str(entry.pattern).startswith(("admin/", "api/")):
                continue
            inner = f"{ns}{entry.namespace}:" if entry.namespace else ns
            yield from _patterns(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield ns + entry.name, prefix + str(entry.pattern)


@pytest.fixture
def demo(settings: Any) -> dict[str, Any]:
    settings.IMPORT_JOB_MIN = 5  # the seed's seven forms run as a job, so a job page exists
    users = load_demo()
    load_evaluation_demo(users["admin"])
    return users


def test_every_page_in_english_shows_no_chinese_but_user_data(demo: dict[str, Any], seed_file: Any) -> None:
    from jixiao.db.declarations.models import Declaration, Status, TargetAdjustment
    from jixiao.db.evaluation.models import MonitoringRecord, SelfEvaluationRecord

    users = demo
    filler = english_client(users["filler"])
    # Objects the navigation alone does not reach: an import waiting for confirmation, a job, an
    # uploaded records file at its mapping step (the test's own uploads are user data too).
    seed = seed_file.read_bytes()
    upload = filler.post("/declarations/import/", {"file": SimpleUploadedFile("seed.txt", seed)})
    assert upload.status_code == 302
    preview_url = upload["Location"]
    job = filler.post(preview_url)
    assert job.status_code == 302 and job["Location"].startswith("/jobs/"), job["Location"]
    job_url = job["Location"]
    records = filler.post(
        "/records/import/",
        {
            "file": SimpleUploadedFile("cases.csv", CASES_CSV.encode()),
            "kind": "case",
            "source_name": "网格导出",
        },
    )
    assert records.status_code == 302
    mapping_url = records["Location"]
    # Finished jobs of the other kinds: their result panels are pages too.
    from jixiao.services.jobs import run_job

    done_jobs = []
    for path, data in (("/jobs/export/", {"job_fmt": "zip-xlsx"}), ("/jobs/actuals/", {"month": "12"})):
        started = filler.post(path, data)
        assert started.status_code == 302 and started["Location"].startswith("/jobs/"), started.content[:300]
        run_job(int(started["Location"].rstrip("/").rsplit("/", 1)[1]))
        done_jobs.append(started["Location"])
    pending_preview = filler.post("/declarations/import/", {"file": SimpleUploadedFile("again.txt", seed)})
    preview_url = pending_preview["Location"]

    # A declaration under the department's review, so that the reviewers' pages show the review form.
    second = Declaration.objects.filter(status=Status.DRAFT).order_by("-pk").first()
    assert second is not None
    Declaration.objects.filter(pk=second.pk).update(status=Status.DEPT_REVIEW)
    walk = Walk(
        user_data()
        | set(CASES_CSV.replace("\n", ",").split(","))
        | {"seed.txt", "cases.csv", "again.txt", "不低于95%", "满意", "网格导出"}
    )
    published = Declaration.objects.filter(status=Status.PUBLISHED).order_by("pk").first()
    draft = Declaration.objects.filter(status=Status.DRAFT).order_by("pk").first()
    evaluated = SelfEvaluationRecord.objects.order_by("pk").first()
    assert evaluated is not None
    # The demo publishes no self-evaluation: publish one, as the finance bureau's last step leaves it.
    SelfEvaluationRecord.objects.filter(pk=evaluated.pk).update(status="published", published=timezone.now())
    monitored = MonitoringRecord.objects.order_by("pk").first()
    adjustment = TargetAdjustment.objects.order_by("pk").first()
    assert published and draft and evaluated and monitored and adjustment
    ids = {"pk": str(published.pk), "month": str(monitored.cutoff_month), "index": "0"}
    pages_with_ids = {
        "declaration_detail": f"/declarations/{draft.pk}/",
        "declaration_edit": f"/declarations/{draft.pk}/edit/",
        "declaration_history": f"/declarations/{published.pk}/history/",
        "adjustment_new": f"/declarations/{published.pk}/adjustments/new/",
        "adjustment_detail": f"/declarations/adjustments/{adjustment.pk}/",
        "import_preview": preview_url,
        "import_pages": "/declarations/import/progress/?token=" + "0" * 32,
        "target_check": "/declarations/target-check/?text=%E4%B8%8D%E4%BD%8E%E4%BA%8E95%25",
        "suggest": "/declarations/suggest/?q=%E6%BB%A1%E6%84%8F",
        "organisation_options": "/organisations/options/?"
        + urlencode({"org_q": published.organisation.name}),
        "public_organisation_options": "/public/organisations/?"
        + urlencode({"org_q": published.organisation.name}),
        "framework_levels": "/declarations/framework/?year=2022",
        "job_detail": job_url,
        "job_progress": job_url + "progress/",
        "job_export": done_jobs[0],
        "job_actuals": done_jobs[1],
        "job_list": "/jobs/",
        "public_detail": f"/public/{published.pk}/",
        "evaluation:self_evaluation": f"/evaluation/declarations/{evaluated.declaration_id}/self-evaluation/",
        "evaluation:self_evaluation_edit": f"/evaluation/declarations/{evaluated.declaration_id}/self-evaluation/edit/",
        "evaluation:monitoring_edit": f"/evaluation/declarations/{monitored.declaration_id}/monitoring/",
        "evaluation:monitoring_page": f"/evaluation/declarations/{monitored.declaration_id}/monitoring/{ids['month']}/",
        "public_evaluation": f"/public/evaluations/{evaluated.pk}/",
        "records:mapping": mapping_url,
        "records:actuals": f"/records/declarations/{published.pk}/",
        "records:bind": f"/records/declarations/{published.pk}/0/bind/",
        "records:misses": f"/records/declarations/{published.pk}/0/misses/",
    }
    nav = ["/", "/declarations/", "/declarations/new/", "/declarations/import/", "/evaluation/", "/records/"]
    nav += [
        "/public/",
        "/public/evaluations/",
        "/account/",
        "/admin/",
        "/departments/",
        "/departments/import/",
    ]
    for username, *_rest in DEMO_USERS:
        client = filler if username == "filler" else english_client(users[username])
        crawl(walk, username, client, nav + list(pages_with_ids.values()))
    # Signed out: the sign-in page, the public pages; the error pages.
    anonymous = Client()
    anonymous.cookies["django_language"] = "en"
    crawl(
        walk,
        "anonymous",
        anonymous,
        ["/login/", "/public/", "/public/evaluations/", f"/public/{published.pk}/"],
    )
    for who, client, url, status in (
        ("filler", filler, job_url + "status.json", 200),
        ("filler", filler, "/declarations/999999/", 404),
        ("filler", filler, "/evaluation/declarations/999999/self-evaluation/", 404),
        ("filler", filler, "/no-such-page/", 404),
        ("filler", filler, "/jobs/999999/", 404),
        (
            "filler2",
            english_client(users["filler2"]),
            f"/evaluation/declarations/{evaluated.declaration_id}/self-evaluation/",
            None,
        ),
    ):
        response = client.get(url)
        assert status is None or response.status_code == status, (url, response.status_code)
        walk.check(who, url, response)

    visited_names = set()
    for _who, url, _status in walk.visited:
        try:
            match = resolve(urlsplit(url).path)
        except Exception:  # noqa: BLE001 - a 404 page has no pattern
            continue
        visited_names.add(f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name)
    unvisited = [
        (name, route) for name, route in _patterns() if name not in visited_names and name not in NOT_PAGES
    ]
    admin_pages = {u for _w, u, _s in walk.visited if u.startswith("/admin/")}
    assert len(walk.visited) >= 250, len(walk.visited)
    report = "\n".join(
        f"{url}\n    " + "\n    ".join(sorted(set(lines))[:12])
        for url, lines in sorted(walk.problems.items())
    )
    assert not walk.problems, f"Chinese on {len(walk.problems)} English pages:\n{report}"
    assert not unvisited, f"URL patterns the walk did not open: {unvisited}"
    assert len([u for u in admin_pages if re.fullmatch(r"/admin/\w+/\w+/", u)]) >= 8, sorted(admin_pages)


def test_one_way_to_choose_the_language_and_the_admin_follows_it(users: dict[str, Any]) -> None:
    """The switch's cookie alone picks English; the admin is English then and Chinese otherwise."""
    from .conftest import signed_in

    admin = users["admin"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    chinese = signed_in(admin)
    for url in ("/?lang=en", "/?language=en", "/login/?lang=en"):
        assert "首页" in chinese.get(url, HTTP_ACCEPT_LANGUAGE="en-GB,en").content.decode(), url
    admin_zh = chinese.get("/admin/").content.decode()
    assert "站点管理" in admin_zh and "绩效自评与运行监控" in admin_zh and "用户与组织" in admin_zh
    changelist_zh = chinese.get("/admin/evaluation/selfevaluationrecord/").content.decode()
    assert "绩效自评表" in changelist_zh

    english = signed_in(admin)
    english.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = english.get("/").content.decode()
    assert "Dashboard" in page and "首页" not in page
    admin_en = english.get("/admin/").content.decode()
    assert "Site administration" in admin_en and "Self-evaluation and monitoring" in admin_en
    assert "Users and organisations" in admin_en and not HAN.search(re.sub(r"<[^>]+>", "", admin_en))
    changelist_en = english.get("/admin/evaluation/selfevaluationrecord/").content.decode()
    assert "Select Self-evaluations to view" in changelist_en and "绩效自评表" not in changelist_en
    # Back to Chinese with the same switch.
    english.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "首页" in english.get("/").content.decode()
