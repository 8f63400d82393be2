"""Bar charts drawn on the server as SVG: geometry here, markup in the report template.

Each group has a row: its name, then under it a bar and the value written at the end
of the bar, so numbers are read, not guessed from a colour or a length. The SVG is as
wide as the page, without a viewBox: bars are measured in percent of its width and
text stays at 14 px on a phone as on a desk. The template gives each SVG
``role="img"``, a ``<title>`` and a ``<desc>`` (what is shown, the largest group, and
that the table after it holds every number).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

LONGEST = 70.0  # percent of the width for the longest bar: room after it for its value
ROW = 46  # px: a name line and a bar
BAR = 18
TOP = 4


@dataclass(frozen=True)
class Bar:
    label: str
    shown: str  # the value as written (formatted for the language)
    top: int  # px: top of the row
    length: float  # percent of the chart's width

    @property
    def label_y(self) -> int:
        return self.top + 14

    @property
    def bar_y(self) -> int:
        return self.top + 20

    @property
    def value_y(self) -> int:
        return self.bar_y + BAR - 4

    @property
    def value_x(self) -> str:
        return f"{self.length + 1:.1f}%"

    @property
    def width(self) -> str:
        return f"{self.length:.1f}%"


@dataclass(frozen=True)
class BarChart:
    id: str  # unique in the page: the ids of its title and description derive from it
    title: str
    description: str
    bars: tuple[Bar, ...]
    bar_height: int = BAR

    @property
    def height(self) -> int:
        return TOP * 2 + len(self.bars) * ROW


def bar_chart(
    chart_id: str,
    title: str,
    description: str,
    items: Sequence[tuple[str, int, str]],
) -> BarChart:
    """A chart of ``items`` (label, value, value as written), in their order."""
    largest = max((value for _, value, _ in items), default=0)
    bars = tuple(
        Bar(
            label=label,
            shown=shown,
            top=TOP + index * ROW,
            length=round(LONGEST * value / largest, 1) if largest else 0.0,
        )
        for index, (label, value, shown) in enumerate(items)
    )
    return BarChart(chart_id, title, description, bars)
