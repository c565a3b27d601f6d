"""Launched and intercepted per night (or week) and weapon category: the one chart of `trends
--plot` and of the report.

Bars, not lines: a night without a figure is a gap, not a point joined to its neighbours. Each
panel's value axis starts at zero and ends just above the largest figure, the time axis has one
slot per day (or Monday-started week) from the first period with data to the last, labelled with
dates only, and the interception rate is printed over a period where one report gives both
figures (the paired sums of `v_daily_launches` / `v_weekly_launches`).
"""
from __future__ import annotations

import io
import math
from dataclasses import dataclass, field
from datetime import date, timedelta

LAUNCHED, INTERCEPTED = "#3b5b92", "#7fb77e"
PLURAL = {"glide_bomb": "glide bombs", "artillery": "artillery shells"}
MAX_TICKS = 14


@dataclass
class Panel:
    """One weapon category over contiguous periods; None where no report gives a figure."""

    category: str
    periods: list[date]
    launched: list[int | None]
    intercepted: list[int | None]
    launched_paired: list[int | None]
    intercepted_paired: list[int | None]

    @property
    def title(self) -> str:
        return PLURAL.get(self.category, self.category.replace("_", " ") + "s")

    def rate(self, i: int) -> float | None:
        """Share shot down in period i, over figures one report gives together."""
        lp, ip = self.launched_paired[i], self.intercepted_paired[i]
        return ip / lp if lp and ip is not None else None

    def total_rate(self) -> float | None:
        pairs = [(lp, ip) for lp, ip in zip(self.launched_paired, self.intercepted_paired) if lp and ip is not None]
        launched = sum(lp for lp, _ in pairs)
        return sum(ip for _, ip in pairs) / launched if launched else None

    def top(self) -> int:
        return max([v for v in (*self.launched, *self.intercepted) if v is not None], default=0)


@dataclass
class PanelFacts:
    """What the drawn panel shows, for the report's data attributes and the tests."""

    category: str
    y_min: float
    y_max: float
    data_max: int
    periods: int
    launched_bars: int
    intercepted_bars: int
    tick_labels: list[str] = field(default_factory=list)


def step(by: str) -> timedelta:
    return timedelta(days=7 if by == "week" else 1)


def panels(rows: list[tuple], by: str) -> list[Panel]:
    """Panels from `storage.queries.launches` rows (period, category, launched, intercepted,
    launched_paired, intercepted_paired), largest category first, periods filled in between."""
    if not rows:
        return []
    first, last = min(r[0] for r in rows), max(r[0] for r in rows)
    periods = [first + k * step(by) for k in range((last - first) // step(by) + 1)]
    out = []
    for cat in {r[1] for r in rows}:
        by_period = {r[0]: r for r in rows if r[1] == cat}
        columns = ([by_period[p][k] if p in by_period else None for p in periods] for k in range(2, 6))
        out.append(Panel(cat, periods, *columns))
    return sorted(out, key=lambda p: (-p.top(), p.category))


def tick_labels(periods: list[date]) -> tuple[list[int], list[str]]:
    """Positions and labels: dates only (never hours), at most MAX_TICKS of them, the year
    shown once when every period is in one year."""
    every = max(1, math.ceil(len(periods) / MAX_TICKS))
    positions = list(range(0, len(periods), every))
    one_year = periods[0].year == periods[-1].year
    fmt = "%d %b" if one_year else "%d %b %y"
    return positions, [periods[k].strftime(fmt).lstrip("0") for k in positions]


def figure(chart_panels: list[Panel], by: str):
    """The matplotlib figure, one panel per category, and what each panel shows."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    heights = [3 if k < 2 else 2 for k in range(len(chart_panels))]  # the main categories larger
    fig, axes = plt.subplots(len(chart_panels), 1, figsize=(10, 0.95 * sum(heights) + 0.4), squeeze=False,
                             gridspec_kw={"height_ratios": heights})
    facts = [_draw(ax, panel, by) for ax, panel in zip(axes[:, 0], chart_panels)]
    axes[-1, 0].set_xlabel("strike day (a night is dated by the morning it ends)" if by == "day" else "week starting Monday",
                           fontsize=8, color="#555")
    fig.tight_layout(h_pad=1.2)
    return fig, facts


def _draw(ax, panel: Panel, by: str) -> PanelFacts:
    from matplotlib.patches import Patch

    xs = range(len(panel.periods))
    width = 0.4 if len(panel.periods) > 1 else 0.25
    counts = {}
    for kind, values, colour, shift in (("launched", panel.launched, LAUNCHED, -width / 2),
                                        ("intercepted", panel.intercepted, INTERCEPTED, width / 2)):
        known = [(x, v) for x, v in zip(xs, values) if v is not None]
        bars = ax.bar([x + shift for x, _ in known], [v for _, v in known], width=width, color=colour, label=kind)
        for (x, _), bar in zip(known, bars):
            bar.set_gid(f"bar-{panel.category}-{kind}-{panel.periods[x].isoformat()}")
        counts[kind] = len(known)
    top = panel.top()
    y_max = top * 1.18 if top else 1
    ax.set_ylim(0, y_max)
    for x in xs:
        rate = panel.rate(x)
        if rate is not None:
            height = max(v or 0 for v in (panel.launched[x], panel.intercepted[x]))
            ax.text(x, height + y_max * 0.02, f"{rate:.0%}", ha="center", va="bottom", fontsize=8, color="#333")
    ax.set_xlim(-0.6, len(panel.periods) - 0.4)
    positions, labels = tick_labels(panel.periods)
    ax.set_xticks(positions, labels, fontsize=8)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)
    ax.patch.set_gid(f"axes-{panel.category}")
    rate = panel.total_rate()
    total_l = sum(v or 0 for v in panel.launched)
    known_i = [v for v in panel.intercepted if v is not None]
    summary = f"{total_l:,} launched" + (f", {sum(known_i):,} intercepted" if known_i else ", no interception figures")
    if rate is not None:
        summary += f"; {rate:.0%} shot down where one report gives both (% over the bars)"
    ax.set_title(f"{panel.title} per {'night' if by == 'day' else 'week'}: {summary}", fontsize=10, loc="left")
    handles = [Patch(color=colour, label=kind) for kind, colour in (("launched", LAUNCHED), ("intercepted", INTERCEPTED))
               if counts[kind]]
    ax.legend(handles=handles, loc="upper left", fontsize=8, frameon=False)
    return PanelFacts(panel.category, ax.get_ylim()[0], ax.get_ylim()[1], top, len(panel.periods),
                      counts["launched"], counts["intercepted"], labels)


def write_png(chart_panels: list[Panel], by: str, path) -> list[PanelFacts]:
    """Draw the panels into a PNG file."""
    import matplotlib.pyplot as plt

    fig, facts = figure(chart_panels, by)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return facts


def svg(chart_panels: list[Panel], by: str) -> tuple[str, list[PanelFacts]]:
    """The panels as an inline SVG element (glyphs as paths: it looks the same everywhere), with
    ids on each axes (`axes-<category>`) and bar (`bar-<category>-<kind>-<period>`)."""
    import matplotlib.pyplot as plt

    fig, facts = figure(chart_panels, by)
    text = svg_text(fig)
    plt.close(fig)
    return text, facts


def svg_text(fig) -> str:
    """A figure as an SVG element to put in a page: no XML prolog, no doctype, no metadata."""
    import matplotlib

    buf = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "path", "svg.hashsalt": "newswatch"}):
        fig.savefig(buf, format="svg", bbox_inches="tight",
                    metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
    text = buf.getvalue()
    return text[text.index("<svg"):]
