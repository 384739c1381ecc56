"""The review's peer data read from a corpus dataset (``jixiao review --peers OUT``)."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import ACTUAL, BING, DECLARED, DING, JIA, SHARED_GOAL, YI, declaration, self_evaluation
from jixiao.cli import main
from jixiao.corpus import report, run_corpus
from jixiao.corpus.peers import peer_benchmarks
from jixiao.domain.errors import InputError
from jixiao.review.lexicon import squeeze

SAT = "服务对象满意度"  # the name key of 市民满意度, 群众满意度 and 服务对象满意度


@pytest.fixture
def forms(tmp_path: Path, write_forms: Callable[..., Path]) -> dict[tuple[str, int], Path]:
    paths = {}
    for unit, year, name, value in DECLARED:
        goal = "保障青浦区城市运行管理中心日常运转" if unit == JIA else SHARED_GOAL
        paths[(unit, year)] = write_forms(
            f"{unit}/{year}.json", [declaration(unit, year, {name: f">={value}%"}, goal=goal)]
        )
    for unit, year, name, value in ACTUAL:
        write_forms(f"{unit}/{year}-自评.json", [self_evaluation(unit, year, {name: (">=85%", f"{value}%")})])
    return paths


@pytest.fixture
def dataset(tmp_path: Path, forms: dict[tuple[str, int], Path]) -> Path:
    out = tmp_path / "out"
    run_corpus([tmp_path / "forms"], out, workers=0)
    return out


def test_the_peer_data_agree_with_the_corpus_report(dataset: Path) -> None:
    peers = peer_benchmarks(dataset)
    bench = peers.benchmark(SAT, "%")
    [row] = [r for r in report.benchmarks(dataset) if r["name"] == SAT and r["unit_of_measure"] == "%"]
    assert bench is not None
    assert (bench.n, bench.n_units) == (row["n"], row["units"]) == (6, 4)
    for figure in ("min", "p10", "median", "p90", "max"):
        assert float(getattr(bench, figure)) == pytest.approx(row[figure])
    assert peers.previous_actual(JIA, 2023, SAT, "%") is not None
    assert peers.previous_actual(JIA, 2023, SAT, "%").value == Decimal(92)  # type: ignore[union-attr]
    # The shared goal sentence (folded: full-width punctuation to half-width): 乙, 丙 and 丁 wrote it.
    assert peers.goal_units[squeeze(SHARED_GOAL)] == frozenset({YI, BING, DING})


def _codes(forms: dict[tuple[str, int], Path], dataset: Path, key: tuple[str, int], *extra: str) -> list[str]:
    result = CliRunner().invoke(
        main, ["review", str(forms[key]), "--peers", str(dataset), "--format", "json", *extra]
    )
    assert result.exit_code == 0, result.output
    [decl] = json.loads(result.output)["declarations"]
    return [f["code"] for f in decl["findings"]]


@pytest.mark.parametrize(
    ("key", "config", "expected"),
    [
        # 甲 2023: 85% below its own 92% of 2022 → JX-A09.
        ((JIA, 2023), "", {"JX-A09"}),
        # 乙 2023: 90% above its 88% → nothing; three units share its goal sentence, fewer than 5.
        ((YI, 2023), "", set()),
        # With min_units 3: 乙's sentence is in 3 units' forms → JX-R17; its 90% against 甲 85 85 85,
        # 丙 95, 丁 80 (p10 = 80 + 0.5 × 5 = 82.5, three other units) is not low.
        ((YI, 2023), "min3", {"JX-R17"}),
        # 丁 80% against 甲 85 85 85, 乙 90, 丙 95 (p10 = 85, three units) → JX-A10, and JX-R17.
        ((DING, 2023), "min3", {"JX-A10", "JX-R17"}),
    ],
)
def test_review_with_a_corpus_as_peers(
    forms: dict[tuple[str, int], Path],
    dataset: Path,
    tmp_path: Path,
    key: tuple[str, int],
    config: str,
    expected: set[str],
) -> None:
    extra: list[str] = []
    if config:
        path = tmp_path / "peers.toml"
        path.write_text("[rules.JX-A10]\nmin_units = 3\n[rules.JX-R17]\nmin_units = 3\n", encoding="utf-8")
        extra = ["--config", str(path)]
    codes = _codes(forms, dataset, key, *extra)
    assert {c for c in codes if c in ("JX-A09", "JX-A10", "JX-R17")} == expected


def test_without_peers_the_review_is_as_before(forms: dict[tuple[str, int], Path]) -> None:
    result = CliRunner().invoke(main, ["review", str(forms[(JIA, 2023)]), "--format", "json"])
    codes = [f["code"] for f in json.loads(result.output)["declarations"][0]["findings"]]
    assert not {"JX-A09", "JX-A10", "JX-R17"} & set(codes)


def test_a_folder_that_is_no_dataset_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        peer_benchmarks(tmp_path)
    assert err.value.code == "JX-E173"
