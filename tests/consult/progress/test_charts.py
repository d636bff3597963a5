import datetime
import itertools
import xml.etree.ElementTree as ET

from consult.progress.charts import Marker, Point, line_chart

NS = "{http://www.w3.org/2000/svg}"
D = datetime.date


def parse(svg):
    return ET.fromstring(svg)  # noqa: S314 (our own generated SVG)


def test_one_point_per_visit_and_one_marker_per_treatment():
    points = [Point(D(2026, 1, 5), 3.2), Point(D(2026, 3, 1), 2.1), Point(D(2026, 6, 1), 1.0)]
    svg = line_chart(points, title="Corner <difference>", unit="mm", markers=[Marker(D(2026, 2, 1), "Botox & PT")])
    root = parse(svg)
    assert root.find(f"{NS}title").text == "Corner <difference>"
    assert len(root.findall(f".//{NS}circle")) == 3
    assert len(root.findall(f".//{NS}g[@class='chart__marker']")) == 1
    assert "Botox &amp; PT" in svg
    assert "2026-03-01: 2.1 mm" in root.find(f"{NS}desc").text


def test_points_are_plotted_in_date_order_and_lower_values_sit_lower():
    svg = line_chart([Point(D(2026, 6, 1), 1.0), Point(D(2026, 1, 1), 5.0)], title="t", unit="mm")
    circles = parse(svg).findall(f".//{NS}circle")
    (x1, y1), (x2, y2) = ((float(c.get("cx")), float(c.get("cy"))) for c in circles)
    assert x1 < x2  # January before June
    assert y1 < y2  # 5.0 mm drawn above 1.0 mm (SVG y grows downward)


def test_no_inline_styles_for_the_content_security_policy():
    svg = line_chart([Point(D(2026, 1, 1), 1.0)], title="t", unit="mm", markers=[Marker(D(2026, 1, 2), "x")])
    assert "style=" not in svg
    assert all("style" not in el.attrib for el in parse(svg).iter())


def test_empty_series_says_so():
    svg = line_chart([], title="Nothing", unit="mm")
    assert "No data yet" in svg
    parse(svg)


def test_ticks_are_round_numbers_covering_the_data():
    from consult.progress.charts import nice_ticks

    assert nice_ticks(0.0, 100.0) == [0.0, 25.0, 50.0, 75.0, 100.0]
    assert nice_ticks(1.63, 4.12) == [1.0, 2.0, 3.0, 4.0, 5.0]
    assert nice_ticks(1.63, 3.12) == [1.5, 2.0, 2.5, 3.0, 3.5]
    assert nice_ticks(0.0, 0.37) == [0.0, 0.1, 0.2, 0.3, 0.4]
    assert nice_ticks(5.0, 5.0) == [4.0, 4.5, 5.0, 5.5, 6.0]  # a flat series still gets an axis


def y_labels(root):
    return [t.text for t in root.iter(f"{NS}text")
            if t.get("text-anchor") == "end" and t.get("class") not in ("chart__date", "chart__year")]


def test_axis_labels_print_the_ticks_with_the_same_precision():
    root = parse(line_chart([Point(D(2026, 1, 1), 10.0), Point(D(2026, 2, 1), 70.0)], title="t", unit="score",
                            y_range=(0.0, 100.0)))
    assert y_labels(root) == ["0", "25", "50", "75", "100"]
    root = parse(line_chart([Point(D(2026, 1, 1), 1.9), Point(D(2026, 2, 1), 3.1)], title="t", unit="mm"))
    labels = y_labels(root)
    assert {len(label.split(".")[1]) for label in labels} == {1}  # 1.5, 2.0, ... never "2" next to "2.5"
    assert float(labels[0]) >= 0


def test_marker_labels_sit_above_every_point():
    points = [Point(D(2026, 1, 1), 9.0), Point(D(2026, 2, 1), 10.0)]  # the top of the range
    markers = [Marker(D(2026, 1, 1), "Botox, 2026-01-01"), Marker(D(2026, 1, 3), "PT, 2026-01-03")]
    root = parse(line_chart(points, title="t", unit="mm", markers=markers))
    labels = [g.find(f"{NS}text") for g in root.iter(f"{NS}g")]
    top_point = min(float(c.get("cy")) for c in root.iter(f"{NS}circle"))
    assert all(float(t.get("y")) < top_point - 4 for t in labels)
    assert len({t.get("y") for t in labels}) == 2  # close markers on separate rows
    assert "Treatments: Botox, 2026-01-01; PT, 2026-01-03." in root.find(f"{NS}desc").text


def _date_texts(root):
    return [t for t in root.iter(f"{NS}text") if t.get("class") == "chart__date"]


def _extents(texts, width):
    out = []
    for t in texts:
        x, anchor = float(t.get("x")), t.get("text-anchor")
        out.append((x, x + width) if anchor == "start" else (x - width, x) if anchor == "end" else (x - width / 2, x + width / 2))
    return out


def test_date_labels_do_not_overlap_and_always_show_the_first_and_latest_visit():
    days = [D(2026, 1, 1), D(2026, 1, 3), D(2026, 1, 5), D(2026, 3, 1), D(2026, 6, 1), D(2026, 6, 2)]
    root = parse(line_chart([Point(d, 1.0 + i) for i, d in enumerate(days)], title="t", unit="mm"))
    dates = _date_texts(root)
    assert dates[0].text == "Jan 1" and dates[-1].text == "Jun 2"  # one year: the year is said once
    assert [t.text for t in root.iter(f"{NS}text") if t.get("class") == "chart__year"] == ["2026"]
    assert "Mar 1" in [t.text for t in dates]  # not only the first and the last
    assert all(a[1] + 6 <= b[0] for a, b in itertools.pairwise(_extents(dates, 40)))
    assert len(root.findall(f".//{NS}circle")) == 6  # every visit is still plotted
    assert len(root.findall(f".//{NS}line[@class='chart__tick']")) == 6  # and has a tick on the axis


def test_monthly_visits_each_get_a_date_label_and_years_are_shown_across_years():
    monthly = [D(2026, m, 1) for m in range(1, 8)]
    root = parse(line_chart([Point(d, 1.0) for d in monthly], title="t", unit="mm"))
    assert [t.text for t in _date_texts(root)] == [f"{d:%b} 1" for d in monthly]
    across = [D(2025, 11, 20), D(2026, 2, 1), D(2026, 5, 1), D(2026, 9, 1)]
    root = parse(line_chart([Point(d, 1.0) for d in across], title="t", unit="mm"))
    texts = _date_texts(root)
    assert texts[0].text == "Nov 20, 2025" and texts[-1].text == "Sep 1, 2026" and len(texts) >= 3
    assert all(a[1] + 6 <= b[0] for a, b in itertools.pairwise(_extents(texts, 72)))


def test_the_unit_label_starts_inside_the_chart_so_degrees_is_not_cut_off():
    root = parse(line_chart([Point(D(2026, 1, 1), 2.0), Point(D(2026, 2, 1), 3.0)], title="t", unit="degrees"))
    (unit,) = [t for t in root.iter(f"{NS}text") if t.get("class") == "chart__unit"]
    assert unit.text == "degrees" and unit.get("text-anchor") == "start" and float(unit.get("x")) >= 0
    first_tick_label_y = min(float(t.get("y")) for t in root.iter(f"{NS}text") if t.get("text-anchor") == "end")
    assert float(unit.get("y")) < first_tick_label_y  # its own row above the axis


def test_differences_start_at_zero_so_noise_does_not_look_like_a_jump():
    noisy = [Point(D(2026, 1, 1), 3.4), Point(D(2026, 2, 1), 3.6), Point(D(2026, 3, 1), 3.45)]
    root = parse(line_chart(noisy, title="t", unit="mm", baseline=0.0, min_span=1.0))
    ticks = [float(t) for t in y_labels(root)]
    assert ticks[0] == 0.0 and ticks[-1] >= 3.6
    ys = [float(c.get("cy")) for c in root.iter(f"{NS}circle")]
    assert max(ys) - min(ys) < 170 * 0.1  # 0.2 mm of noise moves the line by less than a tenth of the plot
    tiny = parse(line_chart([Point(D(2026, 1, 1), 0.1), Point(D(2026, 2, 1), 0.3)], title="t", unit="mm",
                            baseline=0.0, min_span=1.0))
    assert float(y_labels(tiny)[-1]) >= 1.0  # at least 1 mm tall


def test_each_value_carries_its_uncertainty_band():
    points = [Point(D(2026, 1, 1), 2.0, 0.5), Point(D(2026, 2, 1), 1.6, 0.4)]
    svg = line_chart(points, title="t", unit="mm", baseline=0.0, min_span=1.0)
    root = parse(svg)
    (band,) = root.findall(f".//{NS}polygon[@class='chart__band']")
    assert len(band.get("points").split()) == 4
    assert len(root.findall(f".//{NS}path[@class='chart__whisker']")) == 2
    assert float(y_labels(root)[-1]) >= 2.5  # the band fits on the axis
    assert "2026-01-01: 2.0 mm (± 0.5)" in root.find(f"{NS}desc").text
    near_zero = parse(line_chart([Point(D(2026, 1, 1), 0.2, 0.5), Point(D(2026, 2, 1), 0.1, 0.5)], title="t",
                                 unit="mm", baseline=0.0, min_span=1.0))
    assert y_labels(near_zero)[0] in ("0", "0.0")  # a band reaching below zero does not pull the axis below it
    single = parse(line_chart([Point(D(2026, 1, 1), 2.0, 0.5)], title="t", unit="mm", baseline=0.0))
    assert not single.findall(f".//{NS}polygon") and len(single.findall(f".//{NS}path[@class='chart__whisker']")) == 1


def test_one_point_is_centred():
    root = parse(line_chart([Point(D(2026, 1, 1), 2.0)], title="t", unit="mm"))
    (circle,) = root.findall(f".//{NS}circle")
    assert float(circle.get("cx")) == 48 + (560 - 48 - 16) / 2
