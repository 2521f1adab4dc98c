"""The admin index's sync pieces: {% last_sync_run as run %}, {% sync_run_stale_text run as
stale %}, {% next_sync as next %} and {% sync_health_chart %} (the last runs as inline SVG)."""

from dataclasses import dataclass, field

from django import template
from django.urls import reverse

from syncjobs.admin import STATUS_COLOURS, duration_text
from syncjobs.choices import Status
from syncjobs.selectors import (
    RECENT_RUNS_CHARTED,
    sync_next_scheduled,
    sync_run_heartbeat,
    sync_run_last,
    sync_runs_recent,
)

register = template.Library()


@register.simple_tag
def last_sync_run():
    return sync_run_last()


@register.simple_tag
def sync_run_stale_text(run):
    """'stale: no heartbeat for N s' for a running run gone quiet, else ''."""
    heartbeat = sync_run_heartbeat(run) if run is not None else None
    return heartbeat.text if heartbeat is not None and heartbeat.stale else ""


@register.simple_tag
def next_sync():
    """The next scheduled sync (syncjobs.selectors.NextSync), None when not scheduled."""
    return sync_next_scheduled()


# --- The sync health chart ----------------------------------------------------------------------
# Three rows of bars, one per figure, a column per run (oldest on the left), in one SVG drawn
# here: no JavaScript. Each column links to its run and names its figures in a tooltip.

LABEL_WIDTH = 150  # the figures' names, left of the bars
SLOT = 26  # a run's column
BAR = 18
ROW_HEIGHT = 44  # the tallest bar
ROW_GAP = 14
STATUS_HEIGHT = 8  # the run's status, a coloured strip under its bars
NUMBER_HEIGHT = 14  # the run's number, under its status

# (figure, label, colour, value of a run, value as text)
FIGURES = (
    ("duration", "Duration", "#417690", lambda run: run.duration or 0,
     duration_text),
    ("api_calls", "API calls", "#79aec8", lambda run: run.api_calls, str),
    ("rate_limited", "429s (rate limited)", "#ba2121", lambda run: run.rate_limited, str),
)


def svg_number(value):
    """A coordinate as SVG reads it ("12.5"), whatever the locale would make of a float."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


@dataclass
class Bar:
    figure: str
    colour: str
    x: str  # coordinates: svg_number()
    y: str
    height: str
    text: str


@dataclass
class Column:
    run: object
    url: str
    x: float
    status_colour: str
    bars: list = field(default_factory=list)
    texts: dict = field(default_factory=dict)  # figure -> its value as text

    @property
    def bar_x(self):
        return self.x + (SLOT - BAR) // 2

    @property
    def centre_x(self):
        return self.x + SLOT // 2


@dataclass
class Row:
    label: str
    colour: str
    top: float
    baseline: float
    max_text: str

    @property
    def label_y(self):
        return self.top + 18

    @property
    def max_y(self):
        return self.top + 34


def chart_of(runs):
    """The geometry of the chart of `runs` (oldest first): rows, columns, size."""
    width = LABEL_WIDTH + RECENT_RUNS_CHARTED * SLOT
    rows, columns = [], []
    for index, run in enumerate(runs):
        columns.append(Column(
            run=run, url=reverse("admin:syncjobs_syncrun_change", args=[run.pk]),
            x=LABEL_WIDTH + index * SLOT, status_colour=STATUS_COLOURS.get(run.status, "#333")))
    for position, (figure, label, colour, value_of, text_of) in enumerate(FIGURES):
        top = position * (ROW_HEIGHT + ROW_GAP) + 4
        baseline = top + ROW_HEIGHT
        values = [value_of(run) for run in runs]
        highest = max(values, default=0)
        rows.append(Row(label=label, colour=colour, top=top, baseline=baseline,
                        max_text=f"max {text_of(highest)}"))
        for column, value in zip(columns, values):
            # A zero is a hairline: the column still shows the figure was counted.
            height = max(1.0, round(ROW_HEIGHT * value / highest, 1)) if highest else 1.0
            column.bars.append(Bar(figure=figure, colour=colour if value else "#bbb",
                                   x=svg_number(column.bar_x),
                                   y=svg_number(baseline - height),
                                   height=svg_number(height), text=text_of(value)))
            column.texts[figure] = text_of(value)
    status_top = len(FIGURES) * (ROW_HEIGHT + ROW_GAP)
    return {
        "rows": rows, "columns": columns, "width": width,
        "height": status_top + STATUS_HEIGHT + NUMBER_HEIGHT + 4,
        "plot_right": width, "status_top": status_top,
        "number_y": status_top + STATUS_HEIGHT + NUMBER_HEIGHT - 2,
        "slot": SLOT, "bar": BAR, "status_height": STATUS_HEIGHT,
        "figures": [(label, colour) for _, label, colour, _, _ in FIGURES],
        "statuses": _status_legend(),
    }


def _status_legend():
    """(label, colour) of the status strip's colours (some statuses share one)."""
    return [("Succeeded", STATUS_COLOURS[Status.SUCCEEDED]),
            ("Partial or needs review", STATUS_COLOURS[Status.PARTIAL]),
            ("Failed or errored", STATUS_COLOURS[Status.FAILED]),
            ("Running", STATUS_COLOURS[Status.RUNNING])]


@register.inclusion_tag("admin/syncjobs/sync_health_chart.html")
def sync_health_chart():
    """The last runs (RECENT_RUNS_CHARTED) as a chart of their duration, API calls and 429s."""
    runs = sync_runs_recent()
    return {"chart": chart_of(runs) if runs else None, "runs": runs}
