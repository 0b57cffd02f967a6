"""Offline geocoding: ZIP centroids from bundled data, exact coordinates first, no network."""

import pytest

from aid.routing import geocode
from aid.routing.geocode import (
    GeocoderConfig,
    OfflineGeocoder,
    locate,
    make_geocoder,
    normalize_zip,
    zip_centroid,
)


def test_zip_centroid_known_zip_is_near_its_city():
    lat, lon = zip_centroid("02139")  # Cambridge, MA: a public ZIP, not a person's address
    assert 42.2 < lat < 42.5 and -71.3 < lon < -71.0


def test_zip_centroid_unknown_or_malformed_is_none():
    assert zip_centroid("00000") is None
    assert zip_centroid("123") is None
    assert zip_centroid("") is None


def test_zip_plus_four_and_non_ascii_digits_are_normalized():
    assert normalize_zip("02139-4307") == "02139"
    assert normalize_zip("٠٢١٣٩") == "02139"  # Arabic-Indic digits
    assert normalize_zip("Main St, Cambridge MA 02139") == "02139"
    assert zip_centroid("۰۲۱۳۹") == zip_centroid("02139")  # Persian digits


def test_offline_geocoder_prefers_exact_coordinates():
    hit = OfflineGeocoder().geocode({"lat": 40.0, "lon": -75.0, "postalcode": "02139"})
    assert (hit.latitude, hit.longitude) == (40.0, -75.0)
    assert hit.raw["precision"] == "exact"


def test_offline_geocoder_falls_back_to_zip_centroid():
    hit = OfflineGeocoder().geocode("somewhere 02139")
    assert (hit.latitude, hit.longitude) == zip_centroid("02139")
    assert hit.raw["precision"] == "zip"
    assert OfflineGeocoder().geocode("no zip here") is None
    assert isinstance(OfflineGeocoder().geocode("02139", exactly_one=False), list)


def test_default_geocoder_is_offline():
    assert isinstance(make_geocoder(), OfflineGeocoder)
    assert isinstance(make_geocoder(GeocoderConfig(provider="nominatim")), OfflineGeocoder)


def test_self_hosted_services_are_built_only_from_an_explicit_url():
    nominatim = make_geocoder(GeocoderConfig(provider="nominatim", url="http://geo.lan:8080/nom"))
    assert nominatim.domain == "geo.lan:8080/nom" and nominatim.scheme == "http"
    photon = make_geocoder(GeocoderConfig(provider="photon", url="https://photon.lan"))
    assert photon.domain == "photon.lan"
    with pytest.raises(ValueError):
        make_geocoder(GeocoderConfig(provider="nominatim", url="geo.lan"))
    with pytest.raises(ValueError):
        make_geocoder(GeocoderConfig(provider="census", url="http://x.lan"))


def test_locate_uses_exact_then_service_then_zip():
    assert locate(lat=1.5, lon=2.5, zip5="02139").precision == "exact"
    assert locate(lat=None, lon=None, zip5="02139").precision == "zip"
    assert locate(lat=999, lon=0, zip5="02139").precision == "zip"
    assert locate(zip5="00000") is None

    class Broken:
        def geocode(self, query, *, exactly_one=True):
            raise OSError("service down")

    assert locate(address="1 Example Rd", zip5="02139", geocoder=Broken()).precision == "zip"

    class Fake:
        def geocode(self, query, *, exactly_one=True):
            return OfflineGeocoder().geocode({"lat": 10.0, "lon": 20.0})

    got = locate(address="1 Example Rd", zip5="02139", geocoder=Fake())
    assert (got.lat, got.lon, got.precision) == (10.0, 20.0, "service")


def test_zip_index_is_cached():
    geocode._zip_index()
    assert geocode._zip_index.cache_info().currsize == 1
