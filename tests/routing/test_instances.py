"""Benchmark file readers: the conventions they encode and clear errors on bad files."""

from pathlib import Path

import pytest

from aid.routing.bench.instances import InstanceError, read_instance

DATA = Path(__file__).parent / "data"


def test_vrplib_reader_numbers_customers_in_file_order():
    inst = read_instance(DATA / "tiny.vrp")
    assert (inst.name, inst.kind, inst.n_customers, inst.capacity) == ("tiny", "cvrp", 4, 2)
    assert inst.demand == [0, 1, 1, 1, 1]
    assert inst.max_vehicles is None
    assert inst.route_cost([[1, 2], [3, 4]]) == 80


def test_vrplib_costs_round_every_arc_to_nearest_integer(tmp_path):
    path = tmp_path / "r.vrp"
    path.write_text(
        "NAME : r\nTYPE : CVRP\nDIMENSION : 2\nEDGE_WEIGHT_TYPE : EUC_2D\nCAPACITY : 5\n"
        "NODE_COORD_SECTION\n1 0 0\n2 1 1\nDEMAND_SECTION\n1 0\n2 1\nDEPOT_SECTION\n1\n-1\nEOF\n"
    )
    assert read_instance(path).route_cost([[1]]) == 2  # 1.414 rounds to 1, twice


def test_solomon_reader_keeps_fleet_windows_and_double_costs():
    inst = read_instance(DATA / "tiny_tw.txt")
    assert (inst.kind, inst.max_vehicles, inst.capacity, inst.n_customers) == ("vrptw", 2, 100, 3)
    assert inst.ready[2] == 100 and inst.due[2] == 150 and inst.service[1] == 10
    assert inst.route_cost([[1, 2], [3]]) == pytest.approx(100.0)
    assert inst.route_cost([[3, 2], [1]]) == pytest.approx(30 + 1300**0.5 + 20 + 20)


def test_shared_solomon_file_reads_when_present():
    path = Path(__file__).parents[3] / "shared/bench-data/vrptw/solomon/R101.txt"
    if not path.exists():
        pytest.skip("../shared/bench-data is not beside this clone")
    inst = read_instance(path)
    assert (inst.n_customers, inst.max_vehicles, inst.capacity) == (100, 25, 200)


@pytest.mark.parametrize(
    ("name", "text", "where"),
    [
        ("bad.vrp", "NAME : b\nDIMENSION : 2\nCAPACITY : 5\nNODE_COORD_SECTION\n1 0 zero\n", ":5:"),
        (
            "short.vrp",
            "NAME : s\nDIMENSION : 3\nCAPACITY : 5\nNODE_COORD_SECTION\n1 0 0\n2 1 1\n",
            "truncated",
        ),
        ("nocap.vrp", "NAME : n\nDIMENSION : 1\nNODE_COORD_SECTION\n1 0 0\n", "CAPACITY"),
        ("geo.vrp", "NAME : g\nDIMENSION : 1\nCAPACITY : 1\nEDGE_WEIGHT_TYPE : GEO\n", "EUC_2D"),
        (
            "cut.txt",
            "X\nVEHICLE\nNUMBER CAPACITY\n 2 10\nCUSTOMER\nCUST NO.\n 0 0 0 0 0 9 0\n 1 1 1",
            ":8:",
        ),
        (
            "gap.txt",
            "X\nVEHICLE\nNUMBER CAPACITY\n 2 10\nCUSTOMER\nCUST NO.\n"
            " 0 0 0 0 0 9 0\n 2 1 1 1 0 9 0\n",
            ":8:",
        ),
        ("empty.txt", "", "not a Solomon file"),
    ],
)
def test_malformed_files_raise_an_error_naming_file_and_line(tmp_path, name, text, where):
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(InstanceError) as err:
        read_instance(path)
    assert str(path) in str(err.value) and where in str(err.value)


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(InstanceError, match="cannot read"):
        read_instance(tmp_path / "absent.vrp")
