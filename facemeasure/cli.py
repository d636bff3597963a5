"""``facemeasure`` command line: measure, overlay and grade photos.

Every failure becomes a message (``ok: false`` in JSON, a line on stderr otherwise); the exit code
is 1 if any photo failed, 2 for a usage error, 0 otherwise. Never a traceback for bad input.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import json
import multiprocessing
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any, TextIO

from ._types import MEASURE_NAMES

__all__ = ["main"]

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".bmp", ".tif", ".tiff", ".gif", ".jfif"}
#: Show a progress bar on stderr from this many files on (and only when stderr is a terminal
#: or --progress is given).
PROGRESS_MIN_FILES = 20


def _expand(paths: Sequence[str]) -> list[str]:
    """Files as given; folders walked (sorted) for image files."""
    out: list[str] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs.sort()
                out.extend(str(Path(root) / f) for f in sorted(files) if Path(f).suffix.lower() in IMAGE_SUFFIXES)
        else:
            out.append(p)
    return out


def measure_record(
    path: str,
    *,
    min_iris_px: float | None = None,
    half_face: bool = False,
    level: bool = True,
    passes: int = 1,
    denoise: float = 0.0,
    mirror_passes: bool = False,
) -> dict[str, Any]:
    """One JSON Lines record for ``path``; failures are records too, never exceptions."""
    from . import _api
    from ._errors import FaceMeasureError

    record: dict[str, Any] = {"file": path, "ok": False, "error": None, "error_code": None}
    opts = _api.MeasureOptions(
        half_face=half_face, level=level, passes=passes, denoise=denoise, mirror_passes=mirror_passes
    )
    if min_iris_px is not None:
        opts = dataclasses.replace(opts, min_iris_px=min_iris_px)
    try:
        m = _api.measure(path, options=opts)
    except FaceMeasureError as exc:
        record.update(error=str(exc), error_code=exc.code)
        return record
    except Exception as exc:  # a bug must not kill a batch of hundreds of photos
        record.update(error=f"internal error: {type(exc).__name__}: {exc}", error_code="internal")
        return record
    record.update(ok=True)
    record.update(m.to_dict())
    return record


def _init_worker() -> None:
    # A worker only measures: its native stderr is silenced for good (MediaPipe's graph threads logged
    # outside the detection call into a batch's stderr); Python's messages still show.
    from ._landmarks import quiet_native_stderr_for_process

    quiet_native_stderr_for_process()


def _records(
    files: list[str],
    jobs: int,
    min_iris_px: float | None,
    half_face: bool,
    level: bool = True,
    passes: int = 1,
    denoise: float = 0.0,
    mirror_passes: bool = False,
) -> Iterator[dict[str, Any]]:
    if jobs <= 1 or len(files) <= 1:
        for f in files:
            yield measure_record(
                f, min_iris_px=min_iris_px, half_face=half_face, level=level, passes=passes, denoise=denoise,
                mirror_passes=mirror_passes,
            )
        return
    # One landmarker per worker process: each worker loads the model once, on its first photo.
    # spawn, not fork: a forked child of a process that already ran MediaPipe can deadlock.
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, mp_context=ctx) as pool:
        chunk = max(1, min(16, len(files) // (jobs * 4)))
        n = len(files)
        yield from pool.map(
            _measure_one,
            files,
            [min_iris_px] * n,
            [half_face] * n,
            [level] * n,
            [passes] * n,
            [denoise] * n,
            [mirror_passes] * n,
            chunksize=chunk,
        )


def _measure_one(
    path: str,
    min_iris_px: float | None,
    half_face: bool,
    level: bool,
    passes: int,
    denoise: float = 0.0,
    mirror_passes: bool = False,
) -> dict[str, Any]:
    return measure_record(
        path, min_iris_px=min_iris_px, half_face=half_face, level=level, passes=passes, denoise=denoise,
        mirror_passes=mirror_passes,
    )


def _progress(items: Iterable[dict[str, Any]], total: int, enabled: bool) -> Iterable[dict[str, Any]]:
    if not enabled:
        return items
    from tqdm import tqdm

    return tqdm(items, total=total, unit="photo", file=sys.stderr, dynamic_ncols=True)


def _fmt(v: Any) -> str:
    return "-" if v is None else f"{v:.1f}"


def _print_table(rec: dict[str, Any], out: TextIO) -> None:
    if not rec["ok"]:
        out.write(f"{rec['file']}: FAILED: {rec['error']}\n\n")
        return
    out.write(
        f"{rec['file']}  (mm/px {rec['mm_per_px']:.4f}, iris L {rec['iris_diameter_px']['left']:.1f} px "
        f"R {rec['iris_diameter_px']['right']:.1f} px, roll {rec['roll_deg']:+.1f}, yaw {rec['yaw_deg']:+.1f})\n"
    )
    out.write(f"  {'measure':<31}{'left':>8}{'right':>8}{'|L-R|':>8}{'asym %':>8}\n")
    for name in MEASURE_NAMES:
        s = rec["measures"][name]
        unit = "deg" if name == "smile_angle" else "mm"
        out.write(
            f"  {name + ' (' + unit + ')':<31}{_fmt(s['left']):>8}{_fmt(s['right']):>8}"
            f"{_fmt(rec['deviation'][name]):>8}{_fmt(rec['asymmetry_pct'][name]):>8}\n"
        )
    for w in rec["warnings"]:
        out.write(f"  warning: {w['message']}\n")
    out.write("\n")


def _csv_row(rec: dict[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = {
        "file": rec["file"],
        "ok": rec["ok"],
        "error": rec["error"] or "",
        "mm_per_px": rec.get("mm_per_px", ""),
        "iris_left_px": rec.get("iris_diameter_px", {}).get("left", ""),
        "iris_right_px": rec.get("iris_diameter_px", {}).get("right", ""),
        "roll_deg": rec.get("roll_deg", ""),
        "yaw_deg": rec.get("yaw_deg", ""),
    }
    for name in MEASURE_NAMES:
        s = rec.get("measures", {}).get(name, {})
        row[f"{name}_left"] = s.get("left", "")
        row[f"{name}_right"] = s.get("right", "")
        row[f"{name}_deviation"] = rec.get("deviation", {}).get(name, "")
        row[f"{name}_asymmetry_pct"] = rec.get("asymmetry_pct", {}).get(name, "")
    row["warnings"] = "; ".join(w["code"] for w in rec.get("warnings", []))
    return row


def _cmd_measure(args: argparse.Namespace) -> int:
    files = _expand(args.photos)
    if not files:
        sys.stderr.write("facemeasure: no image files found\n")
        return 1
    show_progress = args.progress or (len(files) >= PROGRESS_MIN_FILES and sys.stderr.isatty())
    csv_file = None
    writer = None
    failed = 0
    try:
        if args.csv:
            csv_file = open(args.csv, "w", newline="", encoding="utf-8")  # noqa: SIM115
        records = _progress(_records(
                files, args.jobs, args.min_iris_px, args.half_face, not args.no_level, args.passes, args.denoise,
                args.mirror_passes,
            ), len(files), show_progress)
        for rec in records:
            failed += not rec["ok"]
            if args.json:
                sys.stdout.write(json.dumps(rec, ensure_ascii=False) + "\n")
                sys.stdout.flush()
            else:
                _print_table(rec, sys.stdout)
            if csv_file is not None:
                row = _csv_row(rec)
                if writer is None:
                    writer = csv.DictWriter(csv_file, fieldnames=list(row))
                    writer.writeheader()
                writer.writerow(row)
    except OSError as exc:
        sys.stderr.write(f"facemeasure: {exc}\n")
        return 1
    finally:
        if csv_file is not None:
            csv_file.close()
    if failed:
        sys.stderr.write(f"facemeasure: {failed} of {len(files)} photo(s) failed\n")
    return 1 if failed else 0


def _cmd_overlay(args: argparse.Namespace) -> int:
    from . import _api
    from ._errors import FaceMeasureError
    from ._image import decode_image
    from ._overlay import draw_overlay

    try:
        m = _api.measure(args.photo)
        img = draw_overlay(decode_image(args.photo).rgb, m)
        img.save(args.output)
    except FaceMeasureError as exc:
        sys.stderr.write(f"facemeasure: {exc}\n")
        return 1
    except (OSError, ValueError) as exc:
        sys.stderr.write(f"facemeasure: cannot write {args.output}: {exc}\n")
        return 1
    for w in m.warnings:
        sys.stderr.write(f"warning: {w.message}\n")
    sys.stdout.write(f"wrote {args.output}\n")
    return 0


#: ``facemeasure.GRADING_OPTIONS`` (kept here so the CLI starts without numpy; a test checks they agree).
GRADING_PASSES, GRADING_DENOISE = 12, 1.5
EXPRESSIONS = ("neutral", "brows_up", "eyes_closed", "eyes_closed_tight", "smile", "pucker", "teeth", "lip_down")


def _cmd_grade(args: argparse.Namespace) -> int:
    from ._errors import FaceMeasureError
    from ._grade import GRADING_OPTIONS, grade_photos

    photos = {e: getattr(args, e) for e in EXPRESSIONS if getattr(args, e)}
    options = dataclasses.replace(GRADING_OPTIONS, passes=args.passes, denoise=args.denoise)
    try:
        result = grade_photos(photos, affected=args.affected, check=not args.no_expression_check, options=options)
    except FaceMeasureError as exc:
        sys.stderr.write(f"facemeasure: {exc}\n")
        return 1
    if args.json:
        sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(result.format_table())
    return 0


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="facemeasure", description="Facial-symmetry measurements in millimetres from frontal face photos."
    )
    sub = p.add_subparsers(dest="command", required=True)

    m = sub.add_parser("measure", help="measure photos (files or folders)")
    m.add_argument("photos", nargs="+", help="image files or folders (walked recursively)")
    m.add_argument("--json", action="store_true", help="print one JSON object per photo (JSON Lines)")
    m.add_argument("--csv", metavar="FILE", help="also write one CSV row per photo to FILE")
    m.add_argument("--jobs", "-j", type=int, default=1, help="worker processes (default 1)")
    m.add_argument("--progress", action="store_true", help="always show the progress bar on stderr")
    m.add_argument("--min-iris-px", type=float, default=None, help="refuse faces whose iris is smaller (default 8)")
    m.add_argument(
        "--no-level",
        action="store_true",
        help="measure on the photo itself, without the levelled second landmark pass (faster, roll/size-dependent)",
    )
    m.add_argument("--passes", type=int, default=1, help="averaged landmark passes on the levelled crop (default 1)")
    m.add_argument(
        "--denoise",
        type=float,
        default=0.0,
        metavar="SIGMA",
        help="low-pass what the landmarker sees by SIGMA crop pixels against JPEG artefacts (default 0; the platform uses 1.5)",
    )
    m.add_argument(
        "--mirror-passes",
        action="store_true",
        help="every other extra pass on the mirrored crop (cancels FaceMesh's left/right bias; docs/measurement.md)",
    )
    m.add_argument(
        "--half-face",
        action="store_true",
        help="landmark each side on a mirrored half-face composite (sides independent; ~2.5x slower)",
    )
    m.set_defaults(func=_cmd_measure)

    o = sub.add_parser("overlay", help="draw the landmarks and measures used on a photo")
    o.add_argument("photo")
    o.add_argument("-o", "--output", required=True, help="output image (PNG recommended)")
    o.set_defaults(func=_cmd_overlay)

    g = sub.add_parser("grade", help="eFACE-like scores from a photo set of one visit")
    g.add_argument("--neutral", required=True, metavar="PHOTO")
    g.add_argument("--brows-up", dest="brows_up", required=True, metavar="PHOTO")
    g.add_argument("--eyes-closed", dest="eyes_closed", required=True, metavar="PHOTO")
    g.add_argument("--smile", required=True, metavar="PHOTO")
    g.add_argument("--pucker", required=True, metavar="PHOTO")
    g.add_argument("--teeth", metavar="PHOTO")
    g.add_argument("--lip-down", dest="lip_down", metavar="PHOTO")
    g.add_argument("--eyes-closed-tight", dest="eyes_closed_tight", metavar="PHOTO")
    g.add_argument("--affected", choices=("left", "right", "auto"), default="auto")
    g.add_argument(
        "--no-expression-check",
        action="store_true",
        help="grade even photos whose landmarks do not show their expression (by default they are left out)",
    )
    g.add_argument(
        "--passes",
        type=int,
        default=GRADING_PASSES,
        help=f"averaged landmark passes per photo (default {GRADING_PASSES}, as the platform; 1 is about 5x faster)",
    )
    g.add_argument(
        "--denoise",
        type=float,
        default=GRADING_DENOISE,
        metavar="SIGMA",
        help=f"low-pass what the landmarker sees by SIGMA crop pixels against JPEG artefacts (default {GRADING_DENOISE:g}, 0 = off)",
    )
    g.add_argument("--json", action="store_true", help="print the result as one JSON object")
    g.set_defaults(func=_cmd_grade)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``facemeasure`` script."""
    from ._landmarks import quiet_native_logs

    args = _parser().parse_args(argv)
    if getattr(args, "jobs", 1) < 1:
        sys.stderr.write("facemeasure: --jobs must be at least 1\n")
        return 2
    quiet_native_logs()
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        sys.stderr.write("facemeasure: interrupted\n")
        return 130


if __name__ == "__main__":
    sys.exit(main())
