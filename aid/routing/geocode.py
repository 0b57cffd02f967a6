"""Offline-first geocoding: exact coordinates when given, else a ZIP area centroid.

Nothing here calls a network service unless a self-hosted Nominatim or Photon URL is
configured explicitly; the Census geocoder and commercial services are never used.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol
from urllib.parse import urlsplit

from geopy.location import Location

__all__ = [
    "GeocoderConfig",
    "Located",
    "OfflineGeocoder",
    "locate",
    "make_geocoder",
    "normalize_zip",
    "zip_centroid",
]

_ZIP_RE = re.compile(r"(?<!\d)(\d{5})(?:-\d{4})?(?!\d)")


class GeopyLike(Protocol):
    """The part of geopy's geocoder interface this module relies on."""

    def geocode(self, query: Any, *, exactly_one: bool = True) -> Any: ...


@dataclass(frozen=True)
class GeocoderConfig:
    """Which geocoder to use; the default is offline and touches no network."""

    provider: str = "offline"  # "offline", "nominatim" or "photon"
    url: str | None = None  # base URL of a self-hosted service, e.g. http://geo.lan:8080
    user_agent: str = "aid-mutual-aid"
    timeout: float = 5.0


@dataclass(frozen=True)
class Located:
    """A coordinate pair and how precise it is ("exact", "zip" or "service")."""

    lat: float
    lon: float
    precision: str


def _ascii_digits(text: str) -> str:
    """Map any Unicode decimal digit (Arabic-Indic, Persian, fullwidth...) to ASCII."""
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in text)


def normalize_zip(raw: str | None) -> str | None:
    """Return the 5-digit ZIP inside `raw` (ZIP+4 and non-ASCII digits accepted), or None."""
    if not raw:
        return None
    found = _ZIP_RE.findall(_ascii_digits(str(raw)))
    return found[-1] if found else None


@lru_cache(maxsize=1)
def _zip_index() -> dict[str, tuple[float, float, str]]:
    """Build the ZIP -> (lat, lon, city) index once from the `zipcodes` package's bundled data."""
    import zipcodes  # imported lazily: loading its data takes a fraction of a second

    index: dict[str, tuple[float, float, str]] = {}
    for entry in zipcodes.list_all():
        try:
            index[entry["zip_code"]] = (float(entry["lat"]), float(entry["long"]),
                                        str(entry.get("city") or ""))
        except (KeyError, TypeError, ValueError):
            continue
    return index


def zip_place(zip5: str) -> tuple[float, float, str] | None:
    """Return (lat, lon, city) of a US ZIP code from bundled data, None if unknown."""
    zip_code = normalize_zip(zip5)
    if zip_code is None:
        return None
    return _zip_index().get(zip_code)


def zip_centroid(zip5: str) -> tuple[float, float] | None:
    """Return the (lat, lon) centroid of a US ZIP code from bundled data, None if unknown."""
    place = zip_place(zip5)
    return place[:2] if place else None


def _valid_coords(lat: Any, lon: Any) -> tuple[float, float] | None:
    """Return floats if lat/lon are finite and in range, else None."""
    try:
        flat, flon = float(lat), float(lon)
    except (TypeError, ValueError):
        return None
    if not (-90.0 <= flat <= 90.0 and -180.0 <= flon <= 180.0):
        return None
    return flat, flon


class OfflineGeocoder:
    """A geopy-compatible geocoder that never leaves the machine.

    `geocode(query)` accepts a dict with optional `lat`/`lon` (exact, used as given) and
    `postalcode`, or a free-text string, from which the last 5-digit ZIP is taken.
    """

    def geocode(self, query: Any, *, exactly_one: bool = True) -> Location | list[Location] | None:
        """Resolve `query` to a geopy Location (exact coordinates first, then ZIP centroid)."""
        found = self._resolve(query)
        if found is None:
            return None
        label, (lat, lon), precision = found
        location = Location(label, (lat, lon, 0.0), {"precision": precision})
        return location if exactly_one else [location]

    def _resolve(self, query: Any) -> tuple[str, tuple[float, float], str] | None:
        if isinstance(query, dict):
            exact = _valid_coords(query.get("lat"), query.get("lon"))
            if exact is not None:
                return "exact coordinates", exact, "exact"
            raw_zip = query.get("postalcode") or query.get("zip")
        else:
            raw_zip = query
        zip_code = normalize_zip(raw_zip)
        point = zip_centroid(zip_code) if zip_code else None
        if point is None:
            return None
        return f"ZIP {zip_code} centroid", point, "zip"


def make_geocoder(config: GeocoderConfig | None = None) -> GeopyLike:
    """Build the configured geocoder; a network one only for an explicit self-hosted URL."""
    config = config or GeocoderConfig()
    if config.provider == "offline" or not config.url:
        return OfflineGeocoder()
    parts = urlsplit(config.url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"geocoder URL must be http(s)://host[:port][/path], got {config.url!r}")
    domain = parts.netloc + parts.path.rstrip("/")
    if config.provider == "nominatim":
        from geopy.geocoders import Nominatim

        return Nominatim(
            domain=domain,
            scheme=parts.scheme,
            user_agent=config.user_agent,
            timeout=config.timeout,
        )
    if config.provider == "photon":
        from geopy.geocoders import Photon

        return Photon(
            domain=domain,
            scheme=parts.scheme,
            user_agent=config.user_agent,
            timeout=config.timeout,
        )
    raise ValueError(f"unknown geocoder provider {config.provider!r}")


def locate(
    *,
    lat: float | None = None,
    lon: float | None = None,
    zip5: str | None = None,
    address: str | None = None,
    geocoder: GeopyLike | None = None,
) -> Located | None:
    """Locate a stop: exact coordinates, else a configured service, else the ZIP centroid.

    A failing self-hosted service falls back to the ZIP centroid rather than losing the stop.
    """
    exact = _valid_coords(lat, lon)
    if exact is not None:
        return Located(exact[0], exact[1], "exact")
    if geocoder is not None and not isinstance(geocoder, OfflineGeocoder) and address:
        try:
            hit = geocoder.geocode(address, exactly_one=True)
        except Exception:  # noqa: BLE001 - any service failure degrades to the ZIP centroid
            hit = None
        if hit is not None:
            return Located(float(hit.latitude), float(hit.longitude), "service")
    point = zip_centroid(zip5 or address or "")
    if point is None:
        return None
    return Located(point[0], point[1], "zip")
