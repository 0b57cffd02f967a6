"""A map drawn by the app itself: SVG markup from approximate points, no tiles, no third party.

Points are ZIP centroids and depots (never an exact point), projected equirectangularly
(longitude scaled by the cosine of the middle latitude): at a city's scale that is as good
as any projection. One polyline per route (colour and dash tell them apart), depots as
squares, deliveries left out as hollow grey rings.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from markupsafe import Markup

PALETTE = ("#1d70b8", "#d4351c", "#00703c", "#f47738", "#4c2c92", "#b58840", "#28a197",
           "#912b88", "#85994b", "#5694ca", "#0b0c0c", "#f499be")
DASHES = ("", "8 4", "2 3", "10 3 2 3")
Point = tuple[float, float]


@dataclass
class Line:
    """A route to draw: its points in order (start, stops, end) and its place in the legend."""

    index: int
    points: list[Point]
    stops: list[Point] = field(default_factory=list)


def style(index: int) -> tuple[str, str]:
    """Colour and dash pattern of the route at `index` (48 distinct ones, then again)."""
    return PALETTE[index % len(PALETTE)], DASHES[(index // len(PALETTE)) % len(DASHES)]


def swatch(index: int) -> Markup:
    """A short line in the route's colour and dash, for a legend."""
    colour, dash = style(index)
    dashes = f' stroke-dasharray="{dash}"' if dash else ""
    return Markup('<svg class="swatch" viewBox="0 0 30 10" width="30" height="10" '
                  'aria-hidden="true"><line x1="0" y1="5" x2="30" y2="5" stroke="{}" '
                  'stroke-width="3"{}/></svg>').format(colour, Markup(dashes))


def _valid(p: Point | None) -> bool:
    return p is not None and p[0] is not None and p[1] is not None and all(
        math.isfinite(v) for v in p)


def draw(lines: list[Line], depots: list[Point], loose: list[Point], title: str,
         width: int = 640) -> Markup:
    """The SVG element for the given routes, depots and left-out stops (inline in a page)."""
    every = [p for line in lines for p in line.points + line.stops if _valid(p)]
    every += [p for p in depots + loose if _valid(p)]
    if not every:
        every = [(0.0, 0.0)]
    mid = (min(p[0] for p in every) + max(p[0] for p in every)) / 2
    k = max(0.2, math.cos(math.radians(mid)))

    def xy(p: Point) -> tuple[float, float]:
        return p[1] * k, -p[0]

    xs, ys = zip(*(xy(p) for p in every))
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    span_x, span_y = max(x1 - x0, 0.01), max(y1 - y0, 0.01)
    pad = 16
    scale = (width - 2 * pad) / span_x
    height = int(min(max(span_y * scale + 2 * pad, 200), width * 1.25))
    scale = min(scale, (height - 2 * pad) / span_y)
    off_x = (width - span_x * scale) / 2
    off_y = (height - span_y * scale) / 2

    def at(p: Point) -> str:
        x, y = xy(p)
        return f"{off_x + (x - x0) * scale:.1f},{off_y + (y - y0) * scale:.1f}"

    parts = [Markup('<svg class="map" viewBox="0 0 {w} {h}" width="100%" role="img" '
                    'aria-label="{t}"><title>{t}</title>'
                    '<rect x="0" y="0" width="{w}" height="{h}" fill="#f8f8f8"/>').format(
        w=width, h=height, t=title)]
    for p in loose:
        if _valid(p):
            cx, cy = at(p).split(",")
            parts.append(Markup('<circle cx="{}" cy="{}" r="4" fill="none" stroke="#505a5f" '
                                'stroke-width="1.5"/>').format(cx, cy))
    for line in lines:
        colour, dash = style(line.index)
        points = " ".join(at(p) for p in line.points if _valid(p))
        dashes = Markup(' stroke-dasharray="{}"').format(dash) if dash else ""
        if points:
            parts.append(Markup('<polyline points="{}" fill="none" stroke="{}" '
                                'stroke-width="2" stroke-linejoin="round"{}/>').format(
                points, colour, dashes))
        for p in line.stops:
            if _valid(p):
                cx, cy = at(p).split(",")
                parts.append(Markup('<circle cx="{}" cy="{}" r="3" fill="{}"/>').format(
                    cx, cy, colour))
    for p in depots:
        if _valid(p):
            cx, cy = (float(v) for v in at(p).split(","))
            parts.append(Markup('<rect x="{:.1f}" y="{:.1f}" width="10" height="10" '
                                'fill="#0b0c0c" stroke="#fff"/>').format(cx - 5, cy - 5))
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


__all__ = ["Line", "draw", "style", "swatch"]
