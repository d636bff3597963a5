import datetime
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
