"""The geometry of the dashboards' charts, computed in Python before any SVG is written."""

import itertools

from reports.charts import bar_chart, line_chart, wrap


def test_bars_are_as_long_as_their_values_and_the_longest_fills_the_room():
    chart = bar_chart(
        title="t",
        description="d",
        items=[("từ huyện về xã", 7, "/a"), ("giữa các xã", 31, "/b"), ("khác", 0, "/c")],
        width=560,
        label_width=190,
    )

    small, large, empty = chart.bars
    room = 560 - 190 - 56
    assert large.width == room
    assert small.width == round(room * 7 / 31, 1)
    assert empty.width == 0
    assert [bar.value_text for bar in chart.bars] == ["7", "31", "0"]
    assert small.y < large.y < empty.y
    assert chart.height > empty.y


def test_bars_of_nothing_at_all_are_drawn_flat_without_dividing_by_zero():
    chart = bar_chart(title="t", description="d", items=[("a", 0, "/a")])

    assert chart.bars[0].width == 0


def test_long_labels_wrap_on_two_lines_at_most():
    lines = wrap("từ huyện về xã theo quyết định của Ban Thường vụ Huyện ủy", 120)

    assert len(lines) == 2
    assert all(len(line) <= 120 // 7.4 + 1 for line in lines)
    assert lines[1].endswith("…")


def test_lines_break_where_there_is_no_figure():
    chart = line_chart(
        title="t",
        description="d",
        x_labels=["12/2020", "03/2021", "06/2021", "09/2021"],
        series=[("Bí thư", [0.1, None, 0.5, 1.0], ["a", "b", "c", "d"])],
    )

    (series,) = chart.series
    assert len(series.points) == 3
    assert series.path.count("M") == 2  # the line starts again after the gap
    top, bottom = chart.top, chart.bottom
    assert series.points[-1].y == top  # 100% at the top
    assert series.points[0].y == round(bottom - (bottom - top) * 0.1, 1)
    assert [tick.label for tick in chart.y_ticks] == ["0%", "25%", "50%", "75%", "100%"]


def test_a_long_trend_labels_about_eight_points_so_that_labels_never_overlap():
    labels = [f"{month:02d}/20{year}" for year in range(20, 26) for month in (3, 6, 9, 12)]

    chart = line_chart(
        title="t", description="d", x_labels=labels, series=[("a", [0.5] * 24, ["x"] * 24)]
    )

    assert 6 <= len(chart.x_ticks) <= 9
    assert chart.x_ticks[0].label == "03/2020"
    assert chart.x_ticks[-1].label == "12/2025"  # the day asked about is always labelled
    positions = [tick.position for tick in chart.x_ticks]
    assert min(b - a for a, b in itertools.pairwise(positions)) > 50
