"""The per-file function, the Parquet dataset and a run on a Dask cluster: bad files never stop it."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import declaration, self_evaluation
from jixiao.cli import main
from jixiao.corpus import SCHEMAS, TABLES, file_rows, run_corpus
from jixiao.corpus.names import SATISFACTION_SUBJECTS, normalise_indicator_name, region_of
from jixiao.formats import read_path

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


@pytest.mark.parametrize(
    "source",
    [
        "seed",
        CORPUS / "shanghai-declaration" / "openpyxl.xlsx",
        CORPUS / "mof-target" / "libreoffice-xlsx.pdf",
        CORPUS / "shanghai-self-evaluation" / "python-docx.docx",
    ],
    ids=["seed-text", "xlsx", "pdf", "docx-self-evaluation"],
)
def test_a_good_file_gives_one_row_per_document_indicator_and_finding(
    source: object, seed_file: Path
) -> None:
    path = seed_file if source == "seed" else Path(str(source))
    docs = read_path(path)
    rows = file_rows(path)
    assert rows.failure is None
    assert [r["project_name"] for r in rows.documents] == [d.project.name for d in docs]
    assert len(rows.indicators) == sum(len(d.indicators) for d in docs)
    assert [r["name"] for r in rows.indicators] == [i.name for d in docs for i in d.indicators]
    assert {r["doc_id"] for r in rows.indicators} <= {r["doc_id"] for r in rows.documents}
    declarations = [r for r in rows.documents if r["kind"] == "declaration"]
    assert all(r["review_grade"] in ("优", "良", "中", "差") for r in declarations)
    assert all(f["code"].startswith("JX-") for f in rows.findings)
    if any(d.kind == "self_evaluation" for d in docs):
        assert any(r["actual_text"] for r in rows.indicators)


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("broken.pdf", b"%PDF-1.4\nnot really a pdf", "JX-E"),
        ("empty.txt", b"", "JX-E"),
        ("notes.txt", "会议纪要：没有表格".encode(), "JX-E105"),
        ("gbk-garbage.txt", b"\xff\xfe\xfa" * 40, "JX-E"),
        ("truncated.xlsx", b"PK\x03\x04" + b"\0" * 64, "JX-E"),
        ("bad.json", b'{"documents": [{"kind": "declaration"}]}', "JX-E"),
    ],
)
def test_a_bad_file_is_a_recorded_failure_never_a_crash(
    tmp_path: Path, name: str, data: bytes, code: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    rows = file_rows(path)
    assert rows.documents == rows.indicators == rows.findings == []
    assert rows.failure is not None
    assert rows.failure["file"] == str(path)
    assert rows.failure["code"].startswith(code)
    assert rows.failure["message_zh"].startswith(f"[{rows.failure['code']}]")
    assert rows.failure["message_en"] != rows.failure["message_zh"]


def test_a_missing_file_is_a_recorded_failure(tmp_path: Path) -> None:
    assert file_rows(tmp_path / "gone.txt").failure["code"] == "JX-E101"  # type: ignore[index]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.binary(max_size=300)
    | st.text(max_size=200).map(lambda s: ("财政项目支出绩效目标申报表\n" + s).encode())
)
def test_any_bytes_give_rows_or_a_failure(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "any.txt"
    path.write_bytes(data)
    rows = file_rows(path)
    assert (rows.failure is None) or (rows.documents == [] and rows.failure["code"].startswith("JX-E"))


@given(
    subject=st.sampled_from(SATISFACTION_SUBJECTS),
    ending=st.sampled_from(["满意度", "满意率"]),
    numbering=st.sampled_from(["", "1.", "（2）", "3、", "④"]),
    spaces=st.sampled_from(["", " ", "\u3000"]),
)
def test_every_spelling_of_satisfaction_is_one_benchmark(
    subject: str, ending: str, numbering: str, spaces: str
) -> None:
    assert normalise_indicator_name(f"{numbering}{spaces}{subject}{spaces}{ending}") == "服务对象满意度"


@pytest.mark.parametrize(
    ("unit", "department", "region", "level"),
    [
        ("上海市青浦区城市运行管理中心", None, "上海市青浦区", "区县级"),
        ("安徽省淮河河道管理局", "安徽省水利厅", "安徽省", "省级"),
        ("芜湖市社会福利中心", "芜湖市民政局", "芜湖市", "市级"),
        ("邯郸市环境卫生管理处", "邯郸市城市管理综合行政执法局", "邯郸市", "市级"),
        ("东乡县农业农村局", "临夏州农业农村局", "临夏州东乡县", "区县级"),
        ("寿县第一中学", None, "寿县", "区县级"),
        ("湖北省公路事业发展中心", "[215]湖北省交通运输厅", "湖北省", "省级"),
        ("城市运行管理中心", None, "", None),
    ],
)
def test_region_and_level_from_the_units_names(
    unit: str, department: str | None, region: str, level: str | None
) -> None:
    r = region_of(unit, department)
    assert (r.name, r.level) == (region, level)


def _corpus(tmp_path: Path, write_forms: Callable[..., Path], seed_file: Path) -> Path:
    write_forms("a/2023.json", [declaration("上海市青浦区城市运行管理中心", 2023, {"市民满意度": ">=90%"})])
    write_forms(
        "b/two.json",
        [
            declaration("芜湖市社会福利中心", 2023, {"服务对象满意度": ">=85%", "床位数": "=200张"}),
            self_evaluation("芜湖市社会福利中心", 2022, {"服务对象满意度": (">=85%", "93%")}),
        ],
    )
    forms = tmp_path / "forms"
    shutil.copy(seed_file, forms / "seed.txt")
    (forms / "b" / "broken.pdf").write_bytes(b"%PDF-1.7 broken")
    (forms / "b" / "ignored.py").write_text("print('not a form')")
    (forms / ".hidden.txt").write_text("财政项目支出绩效目标申报表")
    return forms


def _tables(out: Path) -> dict[str, list[dict[str, object]]]:
    return {
        t: pq.read_table(out / t).sort_by([(SCHEMAS[t].names[0], "ascending")]).to_pylist() for t in TABLES
    }


def test_run_writes_the_dataset_with_its_schema(
    tmp_path: Path, write_forms: Callable[..., Path], seed_file: Path
) -> None:
    forms = _corpus(tmp_path, write_forms, seed_file)
    summary = run_corpus([forms], tmp_path / "out", workers=0)
    seed_docs = read_path(seed_file)
    assert summary.files == 4  # the .py and the hidden file are not candidates
    assert summary.documents == 3 + len(seed_docs)
    assert summary.indicators == 1 + 2 + 1 + sum(len(d.indicators) for d in seed_docs)
    assert dict(summary.failures) == {file_rows(forms / "b" / "broken.pdf").failure["code"]: 1}  # type: ignore[index]
    for table in TABLES:
        assert pq.read_schema(next((tmp_path / "out" / table).glob("*.parquet"))) == SCHEMAS[table]
    tables = _tables(tmp_path / "out")
    assert len(tables["documents"]) == summary.documents
    assert len(tables["indicators"]) == summary.indicators
    assert len(tables["findings"]) == summary.findings > 0
    assert [f["file"] for f in tables["failures"]] == [str(forms / "b" / "broken.pdf")]
    two = [d for d in tables["documents"] if d["file"].endswith("two.json")]
    assert [(d["form"], d["kind"], d["level"]) for d in two] == [
        (1, "declaration", "市级"),
        (2, "self_evaluation", "市级"),
    ]
    actual = [i for i in tables["indicators"] if i["actual_text"]]
    assert [(i["name_key"], i["actual_value"], i["actual_unit"]) for i in actual] == [
        ("服务对象满意度", 93.0, "%")
    ]


def test_a_local_cluster_run_gives_the_same_rows_as_one_process(
    tmp_path: Path, write_forms: Callable[..., Path], seed_file: Path
) -> None:
    forms = _corpus(tmp_path, write_forms, seed_file)
    inline = run_corpus([forms], tmp_path / "inline", workers=0)
    cluster = run_corpus([forms], tmp_path / "cluster", workers=1, processes=False, batch=1)
    assert (cluster.files, cluster.documents, cluster.indicators, cluster.findings, cluster.failures) == (
        inline.files,
        inline.documents,
        inline.indicators,
        inline.findings,
        inline.failures,
    )
    assert _tables(tmp_path / "cluster") == _tables(tmp_path / "inline")


def test_corpus_command_prints_the_summary(
    tmp_path: Path, write_forms: Callable[..., Path], seed_file: Path
) -> None:
    forms = _corpus(tmp_path, write_forms, seed_file)
    result = CliRunner().invoke(main, ["corpus", str(forms), "-o", str(tmp_path / "out"), "--workers", "0"])
    assert result.exit_code == 0, result.output
    assert "共 4 个文件" in result.output
    assert "1 个文件读取失败" in result.output
    en = CliRunner().invoke(
        main, ["corpus", str(forms), "-o", str(tmp_path / "out"), "--workers", "0", "--lang", "en"]
    )
    assert "4 files" in en.output


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["no-such-folder"], "JX-E101"),
        (["EMPTY"], "JX-E170"),
        (["EMPTY", "--profile", "nowhere-1999"], "JX-E120"),
    ],
)
def test_corpus_command_refuses_bad_input_in_one_line(tmp_path: Path, args: list[str], code: str) -> None:
    (tmp_path / "empty").mkdir()
    args = [str(tmp_path / "empty") if a == "EMPTY" else a for a in args]
    result = CliRunner().invoke(main, ["corpus", *args, "-o", str(tmp_path / "out"), "--workers", "0"])
    assert result.exit_code == 2
    assert code in result.output
    assert "Traceback" not in result.output
