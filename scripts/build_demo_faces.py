"""Build the demo patients' photo sets: composite faces of nobody, with synthetic droops.

Run once by a developer (needs the dev dependencies for scipy):

    uv run --frozen python scripts/build_demo_faces.py

1. Several public-domain portraits from tests/fixtures/faces/ (US Congress official photos, see
   SOURCES.md there) are landmarked with facemeasure's MediaPipe backend.
2. Each face is aligned to a common frame by a similarity transform fitted on the eye corners and mouth
   corners, then warped piecewise-affinely (Delaunay triangles over the 468 mesh points) onto the mean
   face shape, and the warped faces are averaged. Six faces go into each composite, so the result is
   nobody's face.
3. Expressions and droops are smooth, known displacements (tests/facemeasure/synthetic.py's Gaussian
   warp): mouth corners lifted for a smile, drawn in for a pucker, brows lifted, upper lids lowered; the
   "affected" side moves less, and its mouth corner sits lower at rest.

The JPEGs go to consult/photos/demo_faces/ (committed), with the guide page's example overlay in
consult/photos/static/photos/guide-overlay.jpg (composite "a" at rest without a droop) and its example photo
per expression in consult/photos/static/photos/guide/ (composite "a", both sides moving alike); ``--guide``
rebuilds only those. load_demo measures the photos with the real engine.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import cv2
import numpy as np
from PIL import Image
from scipy.spatial import Delaunay

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import facemeasure  # noqa: E402
from tests.facemeasure.synthetic import GaussianField, close_eyes, warp_image  # noqa: E402

FACES = ROOT / "tests" / "fixtures" / "faces"
OUT = ROOT / "consult" / "photos" / "demo_faces"
GUIDE = ROOT / "consult" / "photos" / "static" / "photos" / "guide-overlay.jpg"
W, H = 480, 600
# where the outer eye corners (landmarks 33: subject's right, 263: subject's left) land on the canvas
EYE_R, EYE_L = np.array([158.0, 262.0]), np.array([322.0, 262.0])
MOUTH_R, MOUTH_L = np.array([190.0, 420.0]), np.array([290.0, 420.0])
ANCHORS = (33, 263, 61, 291)
COMPOSITES = {
    # Chosen so that every demo photo, after the JPEG round trip and the upload re-encoding, measures without
    # an engine notice (portraits whose iris the engine fits poorly, averaged in, drew "iris mismatch" and a
    # retake hint on most photos of a set). Each set has six faces; a face may appear in two composites.
    "a": ["congress_B001287.jpg", "congress_C000537.jpg", "congress_D000622.jpg", "congress_G000386.jpg",
          "congress_H001042.jpg", "congress_V000081.jpg"],
    "b": ["congress_B001287.jpg", "congress_G000555.jpg", "congress_M001188.jpg", "congress_R000599.jpg",
          "congress_S000033.jpg", "congress_S001184.jpg"],
    "c": ["congress_H001042.jpg", "congress_M001188.jpg", "congress_R000599.jpg", "congress_S000033.jpg",
          "congress_S001184.jpg", "congress_V000081.jpg"],
}

LANDMARKER = facemeasure.MediaPipeLandmarker(max_faces=1)


def landmarks(rgb: np.ndarray) -> np.ndarray:
    faces = LANDMARKER.detect(rgb)
    if not faces:
        raise SystemExit("no face found")
    return faces[0][:468, :2]


def similarity(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """2x3 matrix of the least-squares similarity transform src -> dst (Umeyama)."""
    mu_s, mu_d = src.mean(0), dst.mean(0)
    s, d = src - mu_s, dst - mu_d
    u, sig, vt = np.linalg.svd(d.T @ s / len(src))
    r = u @ vt
    if np.linalg.det(r) < 0:
        u[:, -1] *= -1
        r = u @ vt
    scale = sig.sum() / (s**2).sum() * len(src)
    t = mu_d - scale * r @ mu_s
    return np.hstack([scale * r, t[:, None]])


def border_points() -> np.ndarray:
    xs, ys = [0, W / 2, W - 1], [0, H / 2, H - 1]
    return np.array([(x, y) for x in xs for y in ys if not (x == W / 2 and y == H / 2)], dtype=np.float64)


def warp_triangles(img: np.ndarray, src: np.ndarray, dst: np.ndarray, tris: np.ndarray) -> np.ndarray:
    out = np.zeros_like(img, dtype=np.float32)
    for tri in tris:
        s, d = src[tri].astype(np.float32), dst[tri].astype(np.float32)
        x, y, w, h = cv2.boundingRect(d)
        if w == 0 or h == 0:
            continue
        m = cv2.getAffineTransform(s, (d - [x, y]).astype(np.float32))
        patch = cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT_101)
        mask = np.zeros((h, w), dtype=np.float32)
        cv2.fillConvexPoly(mask, np.round(d - [x, y]).astype(np.int32), 1.0, lineType=cv2.LINE_AA)
        y1, x1 = min(y + h, H), min(x + w, W)
        if y1 <= y or x1 <= x or x < 0 or y < 0:
            continue
        region = out[y:y1, x:x1]
        mk = mask[: y1 - y, : x1 - x, None]
        region[:] = region * (1 - mk) + patch[: y1 - y, : x1 - x] * mk
    return out


def composite(names: list[str]) -> np.ndarray:
    target = np.array([EYE_R, EYE_L, MOUTH_R, MOUTH_L])
    aligned, shapes = [], []
    for name in names:
        rgb = np.asarray(Image.open(FACES / name).convert("RGB"))
        lm = landmarks(rgb)
        m = similarity(lm[list(ANCHORS)], target)
        img = cv2.warpAffine(rgb, m, (W, H), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)
        pts = lm @ m[:, :2].T + m[:, 2]
        aligned.append(img)
        shapes.append(pts)
    mean = np.mean(shapes, axis=0)
    dst = np.vstack([mean, border_points()])
    tris = Delaunay(dst).simplices
    acc = np.zeros((H, W, 3), dtype=np.float64)
    for img, pts in zip(aligned, shapes, strict=True):
        src = np.vstack([pts, border_points()])
        acc += warp_triangles(img, src, dst, tris)
    face = np.clip(acc / len(aligned), 0, 255).astype(np.uint8)
    return face


def field(at: np.ndarray, dx: float, dy: float, sx: float, sy: float) -> GaussianField:
    return GaussianField(cx=float(at[0]), cy=float(at[1]), vx=dx, vy=dy, sx=sx, sy=sy)


def apply(rgb: np.ndarray, fields: list[GaussianField]) -> np.ndarray:
    for f in fields:
        if abs(f.vx) + abs(f.vy) > 0.05:
            rgb = warp_image(rgb, f)
    return rgb


def expressions(base: np.ndarray, *, affected: str, rest_droop_mm: float, strength: float) -> dict[str, np.ndarray]:
    """The photo set of one visit. ``strength`` (0..1): how much the affected side moves vs the healthy one."""
    lm = landmarks(base)
    m = facemeasure.measure(base)
    px = 1.0 / m.mm_per_px  # pixels per mm
    # image side of each subject side: the subject's left is on the image's right
    corner = {"right": lm[61], "left": lm[291]}
    brow = {"right": lm[105], "left": lm[334]}
    outward = {"right": -1.0, "left": 1.0}
    k = {s: (strength if s == affected else 1.0) for s in ("left", "right")}

    neutral = apply(base, [field(corner[affected], 0.0, rest_droop_mm * px, 9 * px, 9 * px)])
    sets = {"neutral": neutral}
    sets["smile"] = apply(neutral, [field(corner[s], outward[s] * 5 * px * k[s], -4 * px * k[s], 9 * px, 9 * px) for s in ("left", "right")])
    sets["pucker"] = apply(neutral, [field(corner[s], -outward[s] * 4 * px * k[s], 0.0, 9 * px, 9 * px) for s in ("left", "right")])
    sets["brows_raised"] = apply(neutral, [field(brow[s], 0.0, -6 * px * k[s], 14 * px, 7 * px) for s in ("left", "right")])
    # gentle closure: the healthy eye shuts, the affected one closes ``strength`` of the way
    sets["eyes_closed_gentle"] = close_eyes(neutral, landmarks(neutral), {s: k[s] for s in ("left", "right")})
    return sets


def save(rgb: np.ndarray, path: Path) -> None:
    out = io.BytesIO()
    Image.fromarray(rgb).save(out, format="JPEG", quality=86, optimize=True)
    path.write_bytes(out.getvalue())


PLAN = {
    # file prefix: (composite, affected side, droop at rest in mm, movement strength of the affected side)
    "a1": ("a", "left", 3.5, 0.35),  # demo patient 1, before treatment
    "a2": ("a", "left", 1.5, 0.7),  # demo patient 1, after treatment
    "b1": ("b", "right", 2.5, 0.45),  # demo patient 2
    "c1": ("c", "left", 1.0, 0.8),  # demo patient 3
}


#: The photo guide's example photo per expression: composite "a" with both sides moving alike (no droop).
GUIDE_EXAMPLES = GUIDE.parent / "guide"
GUIDE_CROP = (60, 110, 420, 560)  # the face, without most of the ghosted hair and collars (x0, y0, x1, y1)
GUIDE_OVERLAY_CROP = (0, 110, 480, 560)  # the overlay keeps the full width: its labels go outwards
GUIDE_LABEL_SCALE = 1.15  # the overlay is shown about 26 rem wide: labels a little larger than in reports


def build_guide(base: np.ndarray) -> None:
    """The guide's example overlay: composite "a" at rest, no droop, measured without any warning (an
    example of a good photo must not carry an engine notice), cropped to the face with labels a little
    larger so they stay legible at the size the guide shows it; and one small example photo per expression
    the demo sets have (the five the eFACE-like scores need)."""
    m = facemeasure.measure(base)
    if m.warnings:
        raise SystemExit(f"the guide example measures with warnings: {[w.code for w in m.warnings]}")
    GUIDE.parent.mkdir(parents=True, exist_ok=True)
    overlay = facemeasure.draw_overlay(base, m, label_scale=GUIDE_LABEL_SCALE)
    overlay.crop(GUIDE_OVERLAY_CROP).save(GUIDE, format="JPEG", quality=88)
    print(f"wrote {GUIDE}")
    GUIDE_EXAMPLES.mkdir(parents=True, exist_ok=True)
    for expression, rgb in expressions(base, affected="left", rest_droop_mm=0.0, strength=1.0).items():
        example = Image.fromarray(rgb).crop(GUIDE_CROP)
        example.thumbnail((240, 300))
        example.save(GUIDE_EXAMPLES / f"{expression}.jpg", format="JPEG", quality=84, optimize=True)
    print(f"wrote the example photos to {GUIDE_EXAMPLES}")


def main() -> None:
    if sys.argv[1:] == ["--guide"]:  # only the guide's example overlay and photos, the demo photos untouched
        build_guide(composite(COMPOSITES["a"]))
        return
    OUT.mkdir(parents=True, exist_ok=True)
    bases = {key: composite(names) for key, names in COMPOSITES.items()}
    manifest = {}
    for prefix, (key, affected, droop, strength) in PLAN.items():
        for expression, rgb in expressions(bases[key], affected=affected, rest_droop_mm=droop, strength=strength).items():
            name = f"{prefix}_{expression}.jpg"
            save(rgb, OUT / name)
            manifest[name] = {"composite": key, "affected": affected, "rest_droop_mm": droop, "strength": strength}
    (OUT / "manifest.json").write_text(json.dumps({"composites": COMPOSITES, "photos": manifest}, indent=1) + "\n")
    print(f"wrote {len(manifest)} photos to {OUT}")
    build_guide(bases["a"])


if __name__ == "__main__":
    main()
