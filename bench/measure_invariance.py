"""Invariance of facemeasure: mirrored composites, +-10 degree roll, 40-100 % scale, on every fixture face.

Each measurable fixture face is first resampled (Lanczos) so that its iris is about 30 px across
(the low-resolution Congress portraits are upscaled, the large ones kept near their size); then:

* mirror: the left or the right half mirrored about the vertical through the pupils' mid-point,
  measured alone; the value is |L - R| (0 for a perfect engine);
* rotate: the photo rotated by +-10 degrees, measured as a visit with the upright one
  (``measure_set``); the value is the change of each measure;
* scale: the photo downscaled to 40 % and 70 % (iris 12 and 21 px), measured as a visit with the
  original; the value is the change of each measure;
* rotate/scale "alone": the same variants each measured alone (own scale), for comparison.

The same experiment on a subset runs in tests/facemeasure/test_validation.py. From the repository root:

    uv run --frozen python bench/measure_invariance.py [-v] [--faces N] [--passes N] [--denoise S] [--mirror-passes]
        [--mirror-average] [--half-face]

``--floor`` measures FaceMesh's noise floor instead: each face translated by whole pixels (the canvas
padded, no resampling) and by half a pixel, measured as a visit with the untouched photo and with the
scale held fixed (docs/measurement.md, "Invariance", the noise floor).
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
from tests.facemeasure.synthetic import invariance_rows, measurable_faces  # noqa: E402

MM = [n for n in facemeasure.MEASURE_NAMES if n != "smile_angle"]
KINDS = ("mirror", "rotate", "scale", "rotate_alone", "scale_alone")


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--verbose", "-v", action="store_true")
    p.add_argument("--faces", type=int, default=0, help="only the first N faces (default: all)")
    p.add_argument("--mirror-average", action="store_true")
    p.add_argument("--half-face", action="store_true")
    p.add_argument("--passes", type=int, default=1, help="averaged landmark passes (the platform uses 3)")
    p.add_argument("--denoise", type=float, default=0.0, help="MeasureOptions.denoise (the platform uses 1.5)")
    p.add_argument("--mirror-passes", action="store_true", help="MeasureOptions.mirror_passes")
    p.add_argument("--floor", action="store_true", help="the same photo moved by a pixel (noise floor)")
    args = p.parse_args()
    opts = facemeasure.MeasureOptions(
        mirror_average=args.mirror_average, half_face=args.half_face, passes=args.passes, denoise=args.denoise,
        mirror_passes=args.mirror_passes,
    )
    print(f"options: {opts}", flush=True)
    faces = measurable_faces()
    if args.faces:
        faces = faces[: args.faces]
    if args.floor:
        floor(faces, opts)
        return
    rows = invariance_rows(faces, opts, alone=True)
    by: dict[tuple[str, str], list[float]] = defaultdict(list)
    for kind, _face, _var, n, v in rows:
        by[(kind, n)].append(v)
    print(f"{len(faces)} faces: {', '.join(faces)}")
    print(f"{'measure':<26}" + "".join(f"{k + ' mean/max':>24}" for k in KINDS))
    for n in facemeasure.MEASURE_NAMES:
        cells = []
        for kind in KINDS:
            v = np.array(by.get((kind, n), [np.nan]))
            cells.append(f"{v.mean():10.2f} /{v.max():6.2f}")
        print(f"{n:<26}" + "".join(f"{c:>24}" for c in cells))
    for kind in KINDS:
        v = np.array([r[4] for r in rows if r[0] == kind and r[3] in MM])
        if len(v):
            print(
                f"{kind}: mm measures worst {v.max():.2f} mean {v.mean():.2f}, within 0.5 mm {np.mean(v <= 0.5) * 100:.1f} % "
                f"({int(np.sum(v <= 0.5))}/{len(v)})"
            )
    flagged = [r for r in rows if r[3] in MM and r[4] > 0.5]
    print(f"values over 0.5 mm: {len(flagged)}")
    if args.verbose:
        for k in KINDS:
            worst = sorted((r for r in rows if r[0] == k and r[3] in MM), key=lambda r: -r[4])[:8]
            for kind, face, var, n, v in worst:
                print(f"  {kind:<13} {face[:28]:<28} {var:<10} {n:<26} {v:.2f}")


SHIFTS = ((1.0, 0.0), (0.0, 1.0), (1.0, 1.0), (2.0, 0.0), (0.5, 0.5))


def _shift(rgb: np.ndarray, dx: float, dy: float) -> np.ndarray:
    if float(dx).is_integer() and float(dy).is_integer():
        return np.ascontiguousarray(np.pad(rgb, ((int(dy), 0), (int(dx), 0), (0, 0)), mode="edge"))
    import cv2

    m = np.array([[1.0, 0.0, dx], [0.0, 1.0, dy]])
    size = (rgb.shape[1] + 1, rgb.shape[0] + 1)
    return np.asarray(cv2.warpAffine(rgb, m, size, flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE))


def floor(faces: list[str], opts: facemeasure.MeasureOptions) -> None:
    """How much the measures move when nothing but the photo's position changes."""
    from tests.facemeasure.synthetic import reference_image

    visit: dict[str, list[float]] = defaultdict(list)
    fixed: dict[str, list[float]] = defaultdict(list)
    for name in faces:
        rgb = reference_image(name)
        base = facemeasure.measure(rgb, options=opts)
        worst = worst_fixed = 0.0
        for dx, dy in SHIFTS:
            img = _shift(rgb, dx, dy)
            m0, m1 = facemeasure.measure_set([rgb, img], options=opts)
            f1 = facemeasure.measure(img, options=opts, mm_per_px=base.mm_per_px)
            for n in MM:
                for store, a, b in ((visit, m0, m1), (fixed, base, f1)):
                    sa, sb = getattr(a.measures, n), getattr(b.measures, n)
                    store[n] += [abs(sa.left - sb.left), abs(sa.right - sb.right)]
                worst = max(worst, *visit[n][-2:])
                worst_fixed = max(worst_fixed, *fixed[n][-2:])
        print(
            f"{name:<36} worst {worst:.2f} mm as a visit, {worst_fixed:.2f} mm with the scale held fixed",
            flush=True,
        )
    print(f"shifts (px): {SHIFTS}, passes={opts.passes}")
    for n in MM:
        v, w = np.array(visit[n]), np.array(fixed[n])
        print(
            f"  {n:<26} visit mean {v.mean():.2f} max {v.max():.2f} | scale fixed mean {w.mean():.2f} max {w.max():.2f}"
        )
    for label, store in (("as a visit", visit), ("scale held fixed", fixed)):
        a = np.concatenate([np.array(v) for v in store.values()])
        print(
            f"{label}: mean {a.mean():.2f} mm, within 0.5 mm {100 * (a <= 0.5).mean():.1f} %, max {a.max():.2f} mm"
        )


if __name__ == "__main__":
    main()
