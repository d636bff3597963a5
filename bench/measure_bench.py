"""Throughput of the full facemeasure path: decode -> landmarks -> measures -> JSON.

Times the 20 fixture faces (repeated ``--rounds`` times) with 1 and 2 worker processes, and, if
the optional ``bench`` dependency group is installed, an Emotrics-style baseline in the same run:
dlib HOG face detector on a copy downscaled to ~200 px, dlib's 68-point shape predictor on the
full image, and an iris circle fit (OpenCV Hough transform in each eye box).

    uv run --frozen --group bench python bench/measure_bench.py            # with the baseline
    uv run --frozen python bench/measure_bench.py                          # facemeasure only
    uv run --frozen python bench/measure_bench.py --serial-only --no-level # one pass (before issue 16)
    uv run --frozen python bench/measure_bench.py --serial-only --passes 12 --denoise 1.5  # the platform's setting
    uv run --frozen python bench/measure_bench.py --compare --rounds 3     # one pass vs the platform, same run

Prints a Markdown table (paste it into docs/benchmarks.md with the date and the command).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import multiprocessing
import os
import platform
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from facemeasure.cli import measure_record  # noqa: E402

FACES = ROOT / "tests" / "fixtures" / "faces"


def _files() -> list[str]:
    return sorted(str(p) for p in FACES.iterdir() if p.suffix in {".jpg", ".png"})


#: engine options under test (set from the command line; passed to pool workers through the environment)
CONFIG = {
    "level": os.environ.get("FM_BENCH_LEVEL", "1") == "1",
    "passes": int(os.environ.get("FM_BENCH_PASSES", "1")),
    "denoise": float(os.environ.get("FM_BENCH_DENOISE", "0")),
    "mirror_passes": os.environ.get("FM_BENCH_MIRROR", "0") == "1",
}


def _ours_one(path: str) -> str:
    return json.dumps(
        measure_record(
            path, level=bool(CONFIG["level"]), passes=int(CONFIG["passes"]), denoise=float(CONFIG["denoise"]),
            mirror_passes=bool(CONFIG["mirror_passes"]),
        )
    )


#: ``--compare``: the settings timed against each other, photo by photo in one process (so the
#: machine's load falls on all of them alike): label -> (level, passes, denoise, mirror_passes)
SETTINGS = {
    "one pass on the photo (--no-level)": (False, 1, 0.0, False),
    "levelled crop, one pass (engine default)": (True, 1, 0.0, False),
    "levelled crop, 3 passes, denoise 1.5 (platform default until 2026-11-26)": (True, 3, 1.5, False),
    "levelled crop, 12 passes, denoise 1.5 (platform default, GRADING_OPTIONS)": (True, 12, 1.5, False),
}


def bench_compare(files: list[str], rounds: int) -> None:
    """CPU ms per photo of every ``SETTINGS`` entry, interleaved photo by photo, and the ratios."""
    _init_worker()
    small = [f for f in files if "biden" not in f]
    cpu: dict[str, dict[str, list[float]]] = {k: {f: [] for f in files} for k in SETTINGS}
    for _ in range(rounds):
        for f in files:
            for label, (level, passes, denoise, mirror) in SETTINGS.items():
                c = time.process_time()
                measure_record(f, level=level, passes=passes, denoise=denoise, mirror_passes=mirror)
                cpu[label][f].append(time.process_time() - c)
    first = next(iter(SETTINGS))
    mean_small = {k: statistics.mean(t for f in small for t in v[f]) * 1e3 for k, v in cpu.items()}
    mean_biden = {k: statistics.mean(t for f in files if "biden" in f for t in v[f]) * 1e3 for k, v in cpu.items()}
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"photos: {len(files)} fixture faces x {rounds} rounds, settings interleaved photo by photo\n")
    print(f"| setting | CPU ms/photo (<= 1200 px) | CPU ms, Biden 970x2204 | vs {first.split(' (')[0]} |")
    print("|---|---|---|---|")
    for k in SETTINGS:
        print(f"| {k} | {mean_small[k]:.1f} | {mean_biden[k]:.1f} | {mean_small[k] / mean_small[first]:.2f}x |")


def _init_worker() -> None:
    """Pool initializer: quiet the native logs and load the landmarker once in this worker."""
    from facemeasure._landmarks import quiet_native_logs

    quiet_native_logs()
    _ours_one(str(FACES / "obama_official_portrait_2012.jpg"))


def _hold(_: int) -> int:
    # keep this worker busy for a moment so every worker gets one of these (and so is started)
    time.sleep(0.3)
    return os.getpid()


#: CPU seconds (this process, all its threads) of each photo of the last serial run, in its order
CPU_TIMES: list[float] = []


def bench_ours_serial(files: list[str], rounds: int) -> list[float]:
    """Wall seconds per photo; the CPU seconds go to ``CPU_TIMES`` (on a shared machine the CPU time is
    the figure to compare: wall time grows with the other processes' load)."""
    _init_worker()
    times = []
    CPU_TIMES.clear()
    for _ in range(rounds):
        for f in files:
            t, c = time.perf_counter(), time.process_time()
            _ours_one(f)
            times.append(time.perf_counter() - t)
            CPU_TIMES.append(time.process_time() - c)
    return times


def bench_ours_pool(files: list[str], rounds: int, jobs: int) -> float:
    work = files * rounds
    # spawn, not fork: a forked child of a process that already ran MediaPipe (TFLite threads)
    # can deadlock. The model loads once per worker, in the initializer, before the clock starts.
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_init_worker) as pool:
        pids = set(pool.map(_hold, range(jobs)))
        if len(pids) != jobs:
            print(f"(only {len(pids)} of {jobs} workers started before timing)", file=sys.stderr)
        t = time.perf_counter()
        list(pool.map(_ours_one, work, chunksize=4))
        return len(work) / (time.perf_counter() - t)


class EmotricsStyle:
    """dlib HOG detector (on a ~200 px copy) + 68-point predictor + Hough iris fit, then JSON."""

    def __init__(self) -> None:
        import dlib

        spec = importlib.util.find_spec("face_recognition_models")
        if spec is None or not spec.submodule_search_locations:
            raise ImportError("face_recognition_models not installed")
        model = Path(next(iter(spec.submodule_search_locations))) / "models" / "shape_predictor_68_face_landmarks.dat"
        self.detector = dlib.get_frontal_face_detector()
        self.predictor = dlib.shape_predictor(str(model))
        self.dlib = dlib

    def run(self, path: str) -> str:
        import cv2
        import numpy as np
        from PIL import Image, ImageOps

        im = ImageOps.exif_transpose(Image.open(path)).convert("RGB")
        gray = np.asarray(im.convert("L"))
        h, w = gray.shape
        k = 200.0 / max(h, w)
        small = np.asarray(im.convert("L").resize((max(1, round(w * k)), max(1, round(h * k)))))
        rects = self.detector(small, 1)  # one pyramid up-sampling, as dlib's examples do
        if not rects:
            return json.dumps({"file": path, "ok": False})
        r = max(rects, key=lambda r: r.area())
        big = self.dlib.rectangle(int(r.left() / k), int(r.top() / k), int(r.right() / k), int(r.bottom() / k))
        shape = self.predictor(gray, big)
        pts = np.array([(p.x, p.y) for p in shape.parts()], dtype=float)
        radii = []
        for eye in (pts[36:42], pts[42:48]):
            x0, y0 = eye.min(axis=0).astype(int)
            x1, y1 = eye.max(axis=0).astype(int)
            ew = max(4, x1 - x0)
            crop = gray[max(0, y0 - ew // 2) : y1 + ew // 2, max(0, x0) : x1]
            circles = cv2.HoughCircles(
                cv2.GaussianBlur(crop, (5, 5), 1), cv2.HOUGH_GRADIENT, dp=1, minDist=ew,
                param1=60, param2=8, minRadius=max(2, ew // 8), maxRadius=max(3, ew // 2),
            )
            radii.append(float(circles[0, 0, 2]) if circles is not None else float("nan"))
        mm = 11.77 / (2 * np.nanmean(radii)) if not np.all(np.isnan(radii)) else float("nan")
        out = {"file": path, "ok": True, "mm_per_px": mm, "commissure_height": (pts[54, 1] - pts[36:48, 1].mean()) * mm}
        return json.dumps(out)


def bench_baseline(files: list[str], rounds: int) -> list[float] | None:
    try:
        base = EmotricsStyle()
    except ImportError as exc:
        print(f"(baseline skipped: {exc}; install with `uv sync --group bench`)", file=sys.stderr)
        return None
    base.run(files[0])
    times = []
    for _ in range(rounds):
        for f in files:
            t = time.perf_counter()
            base.run(f)
            times.append(time.perf_counter() - t)
    return times


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--no-level", action="store_true", help="one landmark pass on the photo (the pre-issue-16 path)")
    p.add_argument("--passes", type=int, default=1, help="averaged landmark passes (the platform uses 3)")
    p.add_argument("--denoise", type=float, default=0.0, help="MeasureOptions.denoise, sigma in crop pixels (the platform uses 1.5)")
    p.add_argument("--serial-only", action="store_true", help="skip the 2-process and baseline runs")
    p.add_argument("--compare", action="store_true", help="one pass vs the engine and platform defaults, same run")
    p.add_argument(
        "--compare-passes",
        default="",
        help="with --compare: also these pass counts with denoise 1.5, e.g. 6,9,12 (a trailing m: half of them mirrored, 6m)",
    )
    p.add_argument("--mirror-passes", action="store_true", help="MeasureOptions.mirror_passes")
    args = p.parse_args()
    for n in filter(None, args.compare_passes.split(",")):
        mirrored = n.endswith("m")
        k = int(n.rstrip("m"))
        SETTINGS[f"levelled crop, {k} passes{' (half mirrored)' if mirrored else ''}, denoise 1.5"] = (True, k, 1.5, mirrored)
    CONFIG.update(level=not args.no_level, passes=args.passes, denoise=args.denoise, mirror_passes=args.mirror_passes)
    os.environ["FM_BENCH_MIRROR"] = "1" if args.mirror_passes else "0"
    os.environ["FM_BENCH_LEVEL"] = "0" if args.no_level else "1"
    os.environ["FM_BENCH_PASSES"] = str(args.passes)
    os.environ["FM_BENCH_DENOISE"] = str(args.denoise)
    files = _files()
    if args.compare:
        bench_compare(files, args.rounds)
        return
    small = [f for f in files if "biden" not in f]  # all <= 1200 px on the long side except Biden (2204)
    serial = bench_ours_serial(files, args.rounds)
    per_file = {f: [] for f in files}
    for i, t in enumerate(serial):
        per_file[files[i % len(files)]].append(t)
    small_ms = statistics.mean(t for f in small for t in per_file[f]) * 1e3
    biden_ms = statistics.mean(per_file[next(f for f in files if "biden" in f)]) * 1e3
    cpu_small = statistics.mean(c for i, c in enumerate(CPU_TIMES) if files[i % len(files)] in small) * 1e3
    cpu_biden = statistics.mean(c for i, c in enumerate(CPU_TIMES) if "biden" in files[i % len(files)]) * 1e3
    mean1 = statistics.mean(serial) * 1e3
    rate2 = 0.0 if args.serial_only else bench_ours_pool(files, args.rounds, 2)
    baseline = None if args.serial_only else bench_baseline(files, args.rounds)
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"photos: {len(files)} fixture faces x {args.rounds} rounds; level={CONFIG['level']} passes={CONFIG['passes']} denoise={CONFIG['denoise']}\n")
    print("| pipeline | jobs | ms/photo (mean) | ms/photo (median) | photos/s |")
    print("|---|---|---|---|---|")
    print(f"| facemeasure (MediaPipe + refinement) | 1 | {mean1:.1f} | {statistics.median(serial) * 1e3:.1f} | {1e3 / mean1:.1f} |")
    if rate2:
        print(f"| facemeasure | 2 | {1e3 / rate2:.1f} (wall / photo) | - | {rate2:.1f} |")
    if baseline:
        bm = statistics.mean(baseline) * 1e3
        print(f"| Emotrics-style (dlib HOG ~200 px + 68 pts + Hough iris) | 1 | {bm:.1f} | {statistics.median(baseline) * 1e3:.1f} | {1e3 / bm:.1f} |")
        print(f"\nspeed-up of facemeasure over the baseline, one core: {bm / mean1:.1f}x")
    print(f"\nfacemeasure, one core: photos <= 1200 px {small_ms:.1f} ms/photo; Biden 970x2204 {biden_ms:.1f} ms/photo")
    print(f"CPU time (this process): photos <= 1200 px {cpu_small:.1f} ms/photo; Biden 970x2204 {cpu_biden:.1f} ms/photo")


if __name__ == "__main__":
    main()
