"""Synthetic-recovery accuracy of facemeasure: the full error distribution.

Warps real faces with a known smooth displacement (mouth corner or brow moved down by d mm, see
tests/facemeasure/synthetic.py) and reports how well the engine recovers d on the moved side and
how much the other side changes. Run from the repository root:

    uv run --frozen python bench/measure_accuracy.py [--refine/--no-refine] [--scale set|photo]
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import facemeasure  # noqa: E402
from facemeasure._image import decode_image  # noqa: E402
from tests.facemeasure.synthetic import GaussianField, rescale, warp_image  # noqa: E402

FACES = ROOT / "tests" / "fixtures" / "faces"
#: (file, upscale factor). The small faces are upscaled (Lanczos) so the iris is >= ~20 px; this is
#: stated in docs/measurement.md: it tests the geometry, not the camera resolution.
VALIDATION_FACES = (
    ("obama_official_portrait_2012.jpg", 1.0),
    ("biden_white_house_2010.jpg", 1.0),
    ("ibm_codait_luciano_cc0.png", 2.0),
    ("congress_G000555.jpg", 2.0),
    ("congress_S001184.jpg", 2.0),
)
DISTANCES_MM = (1.0, 2.0, 3.0, 5.0)
FEATURES = {
    # feature: (measure, point name prefix, sigma_x mm, sigma_y mm, sign of the measure change)
    "mouth_corner": ("commissure_height", "corner", 12.0, 12.0, +1.0),
    "brow": ("brow_height", "brow", 15.0, 8.0, -1.0),
}


def load(name: str, factor: float) -> np.ndarray:
    rgb = decode_image(FACES / name).rgb
    return rgb if factor == 1.0 else rescale(rgb, factor)


def cases(rgb: np.ndarray, base: facemeasure.Measurement):
    a = math.radians(base.roll_deg)
    down = (-math.sin(a), math.cos(a))
    for feature, (measure, prefix, sx, sy, sign) in FEATURES.items():
        for side in ("left", "right"):
            c = base.points[f"{prefix}_{side}"]
            for d in DISTANCES_MM:
                d_px = d / base.mm_per_px
                field = GaussianField(c.x, c.y, down[0] * d_px, down[1] * d_px, sx / base.mm_per_px, sy / base.mm_per_px)
                yield feature, measure, side, d, sign, field


def run(refine: bool, scale: str, faces=VALIDATION_FACES):
    opts = facemeasure.MeasureOptions(refine=refine)
    rows = []
    for name, factor in faces:
        rgb = load(name, factor)
        base = facemeasure.measure(rgb, options=opts)
        for feature, measure, side, d, sign, field in cases(rgb, base):
            warped = warp_image(rgb, field)
            if scale == "set":
                m0, m1 = facemeasure.measure_set([rgb, warped], options=opts)
            else:
                m0, m1 = base, facemeasure.measure(warped, options=opts)
            other = "right" if side == "left" else "left"
            s0, s1 = getattr(m0.measures, measure), getattr(m1.measures, measure)
            # the field also moves the pupil a tiny bit; the expected change subtracts it
            pupil = getattr(m0, f"pupil_{side}")
            ux, uy = field.at(pupil.x, pupil.y)
            expected = d - sign * math.hypot(ux, uy) * m0.mm_per_px if feature == "brow" else d
            got = sign * (getattr(s1, side) - getattr(s0, side))
            rows.append(
                {
                    "face": name,
                    "feature": feature,
                    "side": side,
                    "d": d,
                    "expected": expected,
                    "recovered": got,
                    "error": got - expected,
                    "other_change": getattr(s1, other) - getattr(s0, other),
                }
            )
    return rows


def summarise(rows) -> str:
    err = np.array([abs(r["error"]) for r in rows])
    oth = np.array([abs(r["other_change"]) for r in rows])
    tol = np.array([max(0.5, 0.15 * r["d"]) for r in rows])
    lines = [
        f"cases: {len(rows)}",
        f"moved side |error| mm: mean {err.mean():.3f}, median {np.median(err):.3f}, p90 {np.percentile(err, 90):.3f}, max {err.max():.3f}",
        f"other side |change| mm: mean {oth.mean():.3f}, median {np.median(oth):.3f}, p90 {np.percentile(oth, 90):.3f}, max {oth.max():.3f}",
        f"within max(0.5 mm, 15 %): {(err <= tol).sum()}/{len(rows)}; other side within 0.5 mm: {(oth <= 0.5).sum()}/{len(rows)}",
        f"within 0.3 mm: {(err <= 0.3).sum()}/{len(rows)}",
    ]
    for feature in FEATURES:
        e = np.array([abs(r["error"]) for r in rows if r["feature"] == feature])
        o = np.array([abs(r["other_change"]) for r in rows if r["feature"] == feature])
        lines.append(f"  {feature}: error mean {e.mean():.3f} max {e.max():.3f}; other side mean {o.mean():.3f} max {o.max():.3f}")
    return "\n".join(lines)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--no-refine", action="store_true")
    p.add_argument("--scale", choices=("set", "photo"), default="set")
    p.add_argument("--verbose", "-v", action="store_true")
    args = p.parse_args()
    rows = run(not args.no_refine, args.scale)
    if args.verbose:
        for r in rows:
            print(f"{r['face'][:24]:<24} {r['feature']:<12} {r['side']:<5} d={r['d']:.0f} exp={r['expected']:.2f} "
                  f"got={r['recovered']:.2f} err={r['error']:+.2f} other={r['other_change']:+.2f}")
    print(f"refine={not args.no_refine} scale={args.scale}")
    print(summarise(rows))


if __name__ == "__main__":
    main()
