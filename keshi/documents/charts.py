"""Bar and line charts as PNG images for Word documents (matplotlib, Agg backend).

Chinese labels need a CJK font: Noto Sans CJK (Debian ``fonts-noto-cjk``) is looked up through
``matplotlib.font_manager``; other common CJK families are tried next. Without any, the chart is
still drawn (CJK glyphs show as boxes) and a warning is logged once — a missing font must not
break a term-end summary.
"""

from __future__ import annotations

import io
import logging
import warnings
from collections.abc import Sequence
from datetime import date
from functools import lru_cache

import matplotlib

matplotlib.use("Agg")

from matplotlib import dates as mdates  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

log = logging.getLogger(__name__)

CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
)
COLORS = ("#2f6db5", "#e07b39", "#3a9a5b", "#c23b3b", "#7d5ba6", "#8c6d46", "#d16ba5", "#6b7b8c")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The family name of an installed CJK font, or None (a warning is logged)."""
    installed = {f.name for f in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in installed:
            return family
    log.warning(
        "No CJK font found for charts (install fonts-noto-cjk); Chinese labels will not render."
    )
    return None


def _figure(width_in: float, height_in: float) -> Figure:
    fig = Figure(figsize=(width_in, height_in), dpi=150)
    fig.set_layout_engine("constrained")
    return fig


def _fonts():
    """Fonts are resolved when drawing: create and save each figure inside this context."""
    family = cjk_font()
    families = [family, "DejaVu Sans"] if family else ["DejaVu Sans"]
    return matplotlib.rc_context({"font.family": families, "axes.unicode_minus": False})


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        if cjk_font() is None:  # already logged once; not a warning per missing glyph
            warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        fig.savefig(buffer, format="png")
    return buffer.getvalue()


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    title: str = "",
    ylabel: str = "",
) -> bytes:
    """Vertical bars with the value on top of each; long label lists are turned 30°."""
    with _fonts():
        fig = _figure(6.4, 3.4)
        ax = fig.add_subplot()
        positions = range(len(labels))
        bars = ax.bar(positions, values, color=COLORS[0], width=0.6)
        ax.bar_label(bars, labels=[_num(v) for v in values], fontsize=8, padding=2)
        ax.set_xticks(list(positions), labels=list(labels), fontsize=8)
        if len(labels) > 6:
            for tick in ax.get_xticklabels():
                tick.set_rotation(30)
                tick.set_horizontalalignment("right")
        ax.set_ylabel(ylabel, fontsize=9)
        ax.tick_params(axis="y", labelsize=8)
        ax.set_title(title, fontsize=10)
        ax.spines[["top", "right"]].set_visible(False)
        ax.margins(y=0.15)
        return _png(fig)


def line_chart(
    x_labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    title: str = "",
    ylabel: str = "",
    percent: bool = True,
    highlight: str | None = None,
) -> bytes:
    """One line per series (gaps for None). ``highlight`` names a series drawn bold and dark,
    the others thin — an overall line over many requirements stays readable."""
    with _fonts():
        fig = _figure(6.4, 3.8)
        ax = fig.add_subplot()
        xs = list(range(len(x_labels)))
        for i, (name, values) in enumerate(series):
            ys = [float("nan") if v is None else float(v) for v in values]
            bold = name == highlight
            ax.plot(
                xs,
                ys,
                label=name,
                color="#222222" if bold else COLORS[i % len(COLORS)],
                linewidth=2.6 if bold else 1.0,
                alpha=1.0 if bold or not highlight else 0.75,
                marker="o" if bold else None,
                markersize=3,
                zorder=3 if bold else 2,
            )
        step = max(1, len(xs) // 10)
        ax.set_xticks(xs[::step], labels=list(x_labels)[::step], fontsize=8)
        return _lines_finished(fig, ax, len(series), title, ylabel, percent=percent, ncols=4)


def period_chart(
    series: Sequence[tuple[str, Sequence[tuple[date, float]]]],
    *,
    title: str = "",
    ylabel: str = "",
) -> bytes:
    """One line per series on a date axis, a point at each date it has: series whose periods
    differ (a week, two weeks, a month) each keep their own points."""
    with _fonts():
        fig = _figure(6.4, 3.8)
        ax = fig.add_subplot()
        for i, (name, points) in enumerate(series):
            ax.plot(
                [d for d, _ in points],
                [float(v) for _, v in points],
                label=name,
                color=COLORS[i % len(COLORS)],
                linewidth=1.4,
                marker="o",
                markersize=3,
            )
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%-m月%-d日"))
        ax.tick_params(axis="x", labelsize=8)
        return _lines_finished(fig, ax, len(series), title, ylabel, percent=True, ncols=3)


def _lines_finished(
    fig, ax, lines: int, title: str, ylabel: str, *, percent: bool, ncols: int
) -> bytes:
    """The y axis, title, grid and legend every line chart shares, then the PNG."""
    if percent:
        ax.set_ylim(0, 105)
    ax.set_ylabel(ylabel, fontsize=9)
    ax.tick_params(axis="y", labelsize=8)
    ax.set_title(title, fontsize=10)
    ax.grid(axis="y", alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    if lines > 1:
        fig.legend(loc="outside lower center", ncols=min(ncols, lines), fontsize=7, frameon=False)
    return _png(fig)


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"
