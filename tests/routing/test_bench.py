"""The bench CLI: JSON shape, BKS on hand-made instances, clear errors, and the bench checker."""

import json
from pathlib import Path

import pytest

from aid.routing.bench import cli as bench
from aid.routing.bench.instances import read_instance
from aid.routing.bench.verify import check_bench

DATA = Path(__file__).parent / "data"
SHARED = Path(__file__).parents[3] / "shared/bench-data"


def run(capsys, *args):
    status = bench.main([*map(str, args)])
    out = capsys.readouterr()
    return status, out.out, out.err


def test_json_output_reaches_the_bks_of_hand_made_instances(capsys):
    status, out, _ = run(
        capsys, DATA / "tiny.vrp", DATA / "tiny_tw.txt", "--time-limit", "1", "--json"
    )
    assert status == 0
    tiny, tiny_tw = json.loads(out)
    assert tiny["instance"] == "tiny" and tiny["cost"] == 80
    assert sorted(map(sorted, tiny["routes"])) == [[1, 2], [3, 4]]
    assert tiny_tw["cost"] == pytest.approx(100.0)
    assert sorted(tiny_tw["routes"]) == [[1, 2], [3]]
    assert all(
        r["feasible"] and r["gap_percent"] == 0 and r["seconds"] > 0 for r in (tiny, tiny_tw)
    )


def test_table_output_shows_the_gap(capsys):
    status, out, _ = run(capsys, DATA / "tiny.vrp", "--time-limit", "1")
    assert status == 0 and "tiny" in out and "mean gap over 1 instances: 0.00%" in out


def test_a_truncated_file_is_reported_with_its_line_not_a_traceback(capsys, tmp_path):
    broken = tmp_path / "broken.vrp"
    broken.write_text(
        (DATA / "tiny.vrp").read_text().split("DEMAND_SECTION")[0] + "DEMAND_SECTION\n1 0\n2 x\n"
    )
    status, out, err = run(capsys, broken, DATA / "tiny.vrp", "--time-limit", "1", "--json")
    assert status == 1
    assert f"{broken}:" in err and "Traceback" not in err
    results = json.loads(out)
    assert results[0]["instance"] == "broken" and "error" in results[0]
    assert results[1]["cost"] == 80


def test_checker_catches_what_a_solver_bug_would_produce():
    cvrp = read_instance(DATA / "tiny.vrp")
    assert check_bench(cvrp, [[1, 2], [3, 4]]) == []
    assert any("capacity" in e for e in check_bench(cvrp, [[1, 2, 3], [4]]))
    assert any("not visited" in e for e in check_bench(cvrp, [[1, 2], [3]]))
    assert any("2 times" in e for e in check_bench(cvrp, [[1, 2], [2, 3, 4]]))
    tw = read_instance(DATA / "tiny_tw.txt")
    assert check_bench(tw, [[1, 2], [3]]) == []
    assert any("after due" in e for e in check_bench(tw, [[2, 1], [3]]))
    assert any("fleet" in e for e in check_bench(tw, [[1], [2], [3]]))


def test_a_small_shared_solomon_instance_is_solved_feasibly_near_its_bks(capsys):
    path = SHARED / "vrptw/solomon/C101.txt"
    if not path.exists():
        pytest.skip("../shared/bench-data is not beside this clone")
    status, out, _ = run(capsys, path, "--time-limit", "2", "--json")
    (result,) = json.loads(out)
    assert status == 0 and result["feasible"]
    assert result["gap_percent"] < 5.0  # loose: a short run on a shared CI core
