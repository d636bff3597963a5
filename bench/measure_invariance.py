"""Invariance of facemeasure: mirrored composites, +-8 degree roll, 60 % downscale, per measure.

The same experiment as tests/facemeasure/test_validation.py (``invariance`` fixture), with the
breakdown per measure and per face that the test does not print. Run from the repository root:

    uv run --frozen python bench/measure_invariance.py [-v] [--mirror-average] [--half-face]
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import facemeasure  # noqa: E402
from tests.facemeasure.synthetic import load, mirrored_composite, rescale, rotate  # noqa: E402

FACES = (
    ("obama_official_portrait_2012.jpg", 1.0),
    ("biden_white_house_2010.jpg", 1.0),
    ("ibm_codait_luciano_cc0.png", 2.0),
    ("congress_S001184.jpg", 2.0),
)
MM = [n for n in facemeasure.MEASURE_NAMES if n != "smile_angle"]


def run(opts: facemeasure.MeasureOptions) -> list[tuple[str, str, str, str, float]]:
    """Rows (kind, face, variant, measure, |change| or |L-R| in mm / degrees)."""
    rows = []
    for name, factor in FACES:
        rgb = load(name, factor)
        base = facemeasure.measure(rgb, options=opts)
        mid = (base.pupil_left.x + base.pupil_right.x) / 2.0
        for keep in ("left", "right"):
            m = facemeasure.measure(mirrored_composite(rgb, mid, keep=keep), options=opts)
            for n in facemeasure.MEASURE_NAMES:
                rows.append(("mirror", name, keep, n, m.deviation[n]))
        variants = []
        for deg in (8.0, -8.0):
            a, b = facemeasure.measure_set([rgb, rotate(rgb, deg)], options=opts)
            variants.append((f"rot{deg:+.0f}", a, b))
        variants.append(("x0.6", base, facemeasure.measure(rescale(rgb, 0.6), options=opts)))
        for label, a, b in variants:
            kind = "scale" if label == "x0.6" else "rotate"
            for n in facemeasure.MEASURE_NAMES:
                sa, sb = getattr(a.measures, n), getattr(b.measures, n)
                rows.append((kind, name, label + ":L", n, abs(sa.left - sb.left)))
                rows.append((kind, name, label + ":R", n, abs(sa.right - sb.right)))
            if kind == "scale":
                rows.append(("scale", name, label, "mm_per_px_pct", abs(b.mm_per_px / a.mm_per_px * 0.6 - 1) * 100))
    return rows


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--verbose", "-v", action="store_true")
    p.add_argument("--mirror-average", action="store_true")
    p.add_argument("--half-face", action="store_true")
    args = p.parse_args()
    opts = facemeasure.MeasureOptions(mirror_average=args.mirror_average, half_face=args.half_face)
    rows = run(opts)
    by: dict[tuple[str, str], list[float]] = defaultdict(list)
    for kind, _face, _var, n, v in rows:
        by[(kind, n)].append(v)
    print(f"{'measure':<26} {'mirror mean/max':>16} {'rotate mean/max':>16} {'scale mean/max':>16}")
    for n in [*facemeasure.MEASURE_NAMES, "mm_per_px_pct"]:
        cells = []
        for kind in ("mirror", "rotate", "scale"):
            v = np.array(by.get((kind, n), [np.nan]))
            cells.append(f"{v.mean():7.2f} /{v.max():6.2f}")
        print(f"{n:<26} {cells[0]:>16} {cells[1]:>16} {cells[2]:>16}")
    for kind in ("mirror", "rotate", "scale"):
        v = np.array([r[4] for r in rows if r[0] == kind and r[3] in MM])
        print(f"{kind}: mm measures worst {v.max():.2f} mean {v.mean():.2f}, within 0.5 mm {np.mean(v <= 0.5) * 100:.0f} %")
    if args.verbose:
        worst = sorted((r for r in rows if r[3] in MM), key=lambda r: -r[4])[:25]
        for kind, face, var, n, v in worst:
            print(f"  {kind:<6} {face[:28]:<28} {var:<8} {n:<26} {v:.2f}")


if __name__ == "__main__":
    main()
