"""Bar charts drawn on the server: geometry computed here, the template writes the SVG.

No script and no chart library: a bar is a rectangle with its value in a ``<title>``, so the
page works under the desk's strict Content-Security-Policy and reads the same in every browser.
"""

from __future__ import annotations

from dataclasses import dataclass

WIDTH, HEIGHT, BOTTOM = 640, 180, 24


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: float
    tick: bool  # print the label under the bar (not every day fits)


@dataclass(frozen=True)
class Chart:
    title: str
    bars: list[Bar]
    top: float  # the value of the chart's full height
    width: int = WIDTH
    height: int = HEIGHT


def bar_chart(title: str, labels: list[str], values: list[float], ticks: int = 8) -> Chart:
    """One bar per label, scaled to the largest value; at most ``ticks`` labels printed."""
    top = max(values, default=0) or 1
    step = WIDTH / max(len(labels), 1)
    every = max(1, -(-len(labels) // ticks))
    usable = HEIGHT - BOTTOM
    bars = [
        Bar(
            x=round(i * step + step * 0.1, 1),
            y=round(usable - usable * value / top, 1),
            width=round(step * 0.8, 1),
            height=round(usable * value / top, 1),
            label=label,
            value=value,
            tick=i % every == 0,
        )
        for i, (label, value) in enumerate(zip(labels, values, strict=True))
    ]
    return Chart(title, bars, top)
