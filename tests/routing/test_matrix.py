"""Distance matrices: the numpy great-circle agrees with geopy; OSRM only by explicit URL."""

import json
import random

import numpy as np
import pytest
from geopy.distance import great_circle

from aid.routing import matrix
from aid.routing.matrix import MatrixSettings, haversine_matrix, osrm_table, travel_matrices


def synthetic_points(n, seed=7):
    rng = random.Random(seed)
    return [(rng.uniform(-60, 70), rng.uniform(-180, 180)) for _ in range(n)]


def test_haversine_matches_geopy_great_circle_on_a_sample_of_pairs():
    points = synthetic_points(40)
    got = haversine_matrix(points)
    rng = random.Random(1)
    for _ in range(200):
        i, j = rng.randrange(40), rng.randrange(40)
        assert got[i, j] == pytest.approx(
            great_circle(points[i], points[j]).meters, rel=1e-9, abs=1e-6
        )


def test_haversine_is_symmetric_with_zero_diagonal():
    m = haversine_matrix(synthetic_points(25))
    assert np.allclose(m, m.T) and np.all(np.diag(m) == 0)


def test_travel_matrices_apply_detour_and_speed():
    a, b = (40.0, -75.0), (40.0, -74.9)
    metres, seconds = travel_matrices([a, b], MatrixSettings(detour_factor=1.5, speed_kmh=30))
    straight = great_circle(a, b).meters
    assert metres[0, 1] == round(straight * 1.5)
    assert seconds[0, 1] == round(straight * 1.5 / (30 / 3.6))
    assert metres.dtype == np.int64 and seconds.dtype == np.int64


def test_bad_settings_are_rejected():
    with pytest.raises(ValueError):
        travel_matrices([(0, 0)], MatrixSettings(speed_kmh=0))
    with pytest.raises(ValueError):
        osrm_table([(0, 0)], "osrm.lan:5000")


def test_osrm_adapter_reads_a_table_from_the_configured_url(monkeypatch):
    seen = {}

    class Response:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def read(self):
            body = {
                "code": "Ok",
                "distances": [[0, 1200.4], [1190, 0]],
                "durations": [[0, 150.6], [None, 0]],
            }
            return json.dumps(body).encode()

    def fake_urlopen(url, timeout):
        seen["url"] = url
        return Response()

    monkeypatch.setattr(matrix, "urlopen", fake_urlopen)
    metres, seconds = travel_matrices(
        [(40.0, -75.0), (40.1, -75.1)], MatrixSettings(osrm_url="http://osrm.lan:5000/")
    )
    assert seen["url"].startswith("http://osrm.lan:5000/table/v1/driving/-75.000000,40.000000;")
    assert metres.tolist() == [[0, 1200], [1190, 0]]
    assert seconds[0, 1] == 151 and seconds[1, 0] >= 10**9  # unreachable stays unusable
