"""Synthetic-recovery accuracy of facemeasure: the full error distribution.

Warps real faces with a known smooth displacement (mouth corner or brow moved down by d mm, see
tests/facemeasure/synthetic.py) and reports how well the engine recovers d on the moved side and
how much the other side changes. Run from the repository root:

    uv run --frozen python bench/measure_accuracy.py [--no-refine] [--scale set|photo] [--half-face] [--mirror-average] [-v]
    uv run --frozen python bench/measure_accuracy.py --all -v --passes 3 --denoise 1.5 [--mirror-passes]

``--all`` runs the extended validation instead: every measurable fixture face (resampled to a 30 px
iris), mouth-corner droop and brow ptosis of 0.5-6 mm on either side, the second photo upright,
tilted +-10 degrees or at 70 % (cycled), and counts the errors over 1 mm that carry no warning.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.facemeasure.synthetic import extended_rows, measurable_faces, run, summarise, summarise_extended  # noqa: E402


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--no-refine", action="store_true")
    p.add_argument("--scale", choices=("set", "photo"), default="set")
    p.add_argument("--half-face", action="store_true")
    p.add_argument("--mirror-average", action="store_true")
    p.add_argument("--verbose", "-v", action="store_true")
    p.add_argument("--all", action="store_true", help="the extended validation over every fixture face")
    p.add_argument("--passes", type=int, default=1, help="landmark passes (MeasureOptions.passes; the platform uses 3)")
    p.add_argument("--denoise", type=float, default=0.0, help="MeasureOptions.denoise (the platform uses 1.5)")
    p.add_argument("--mirror-passes", action="store_true", help="MeasureOptions.mirror_passes (with --all)")
    args = p.parse_args()
    if args.all:
        import facemeasure

        opts = facemeasure.MeasureOptions(passes=args.passes, denoise=args.denoise, mirror_passes=args.mirror_passes)
        rows = extended_rows(measurable_faces(), opts=opts)
        if args.verbose:
            for r in sorted(rows, key=lambda r: -max(abs(r["error"]), abs(r["other_change"])))[:40]:
                print(f"{r['face'][:24]:<24} {r['feature']:<12} {r['side']:<5} d={r['d']:<4g} {r['variant']:<8} "
                      f"err={r['error']:+.2f} other={r['other_change']:+.2f} flags={','.join(r['flags']) or '-'}")
        print(f"extended validation, passes={args.passes} denoise={args.denoise} mirror_passes={args.mirror_passes}")
        print(summarise_extended(rows))
        return
    rows = run(
        not args.no_refine, args.scale, half_face=args.half_face, mirror_average=args.mirror_average, passes=args.passes,
        denoise=args.denoise,
    )
    if args.verbose:
        for r in rows:
            print(f"{r['face'][:24]:<24} {r['feature']:<12} {r['side']:<5} d={r['d']:.0f} exp={r['expected']:.2f} "
                  f"got={r['recovered']:.2f} err={r['error']:+.2f} other={r['other_change']:+.2f}")
    print(
        f"refine={not args.no_refine} scale={args.scale} half_face={args.half_face} "
        f"mirror_average={args.mirror_average} passes={args.passes} denoise={args.denoise}"
    )
    print(summarise(rows))


if __name__ == "__main__":
    main()
