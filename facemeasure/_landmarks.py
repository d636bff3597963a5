"""Landmarker interface and the MediaPipe FaceMesh backend.

The engine only needs "RGB pixels in, faces of landmarks (pixels) out", so a second backend
(dlib, a newer MediaPipe task, ...) only has to implement :class:`Landmarker`.
mediapipe is imported lazily, on the first detection, and the model is built once per process.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Iterator
from typing import Any, Protocol, runtime_checkable

import numpy as np
from numpy.typing import NDArray

__all__ = ["Landmarker", "MediaPipeLandmarker", "default_landmarker", "quiet_native_logs", "quiet_native_stderr_for_process"]

#: Index layout of the 478-point FaceMesh with refined irises. The subject's right eye is on the
#: image's left; ``468`` is the subject's right iris centre and ``473`` the left one.
NUM_POINTS = 478


@runtime_checkable
class Landmarker(Protocol):
    """Anything that finds faces and returns their landmarks in pixel coordinates."""

    def detect(self, rgb: NDArray[np.uint8]) -> list[NDArray[np.float64]]:
        """Return one ``(478, 3)`` array per face (x, y in pixels; z on the x scale)."""
        ...


#: Set ``FACEMEASURE_VERBOSE=1`` to see MediaPipe's and TensorFlow Lite's own log lines on stderr.
VERBOSE_ENV = "FACEMEASURE_VERBOSE"


def _verbose() -> bool:
    return os.environ.get(VERBOSE_ENV, "").strip().lower() in ("1", "true", "yes", "on")


def _quiet() -> bool:
    """MediaPipe's native (C++) logging is silenced unless ``FACEMEASURE_VERBOSE`` asks for it."""
    return not _verbose()


def quiet_native_logs() -> None:
    """Silence glog/absl/TFLite chatter on stderr. Since the engine does this by default (unless
    ``FACEMEASURE_VERBOSE=1``) this only sets the environment early; kept for callers such as the CLI."""
    _native_log_env()


def _native_log_env() -> None:
    """Before mediapipe is imported: glog's and TensorFlow's own thresholds, for the lines they honour. The
    absl lines (``W0000 ... inference_feedback_manager``) ignore them, hence :func:`_stderr_to_devnull`."""
    if _quiet():
        os.environ.setdefault("GLOG_minloglevel", "2")
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


@contextlib.contextmanager
def _stderr_to_devnull(active: bool) -> Iterator[None]:
    # The C++ side writes to file descriptor 2 directly, so redirecting sys.stderr is not enough. While a
    # detection runs (milliseconds), anything else the process writes to fd 2 is discarded too; the
    # platform measures in its background worker, never in a web request.
    if not active:
        yield
        return
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def quiet_native_stderr_for_process() -> None:
    """For a process that only measures (a CLI ``--jobs`` worker): native stderr (descriptor 2) goes to
    /dev/null for the rest of the process's life, unless ``FACEMEASURE_VERBOSE`` asks for it. MediaPipe's
    graph threads may log (e.g. TFLite's "Created ... XNNPACK delegate") outside the detection call
    :func:`_stderr_to_devnull` covers. Python's own messages (a crash's traceback) still reach the
    terminal: ``sys.stderr`` writes to a copy of the original descriptor."""
    _native_log_env()
    if not _quiet():
        return
    sys.stderr.flush()
    terminal = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)
    sys.stderr = os.fdopen(terminal, "w", buffering=1, encoding="utf-8", errors="backslashreplace")


class MediaPipeLandmarker:
    """MediaPipe FaceMesh (``refine_landmarks=True``: 468 mesh points + 10 iris points)."""

    def __init__(self, *, max_faces: int = 4, min_detection_confidence: float = 0.5) -> None:
        self.max_faces = max_faces
        self.min_detection_confidence = min_detection_confidence
        self._mesh: Any = None
        self._finder: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        _native_log_env()
        with _stderr_to_devnull(_quiet()):
            from mediapipe.python.solutions import face_mesh

            return face_mesh.FaceMesh(
                static_image_mode=True,
                refine_landmarks=True,
                max_num_faces=self.max_faces,
                min_detection_confidence=self.min_detection_confidence,
            )

    def detect(self, rgb: NDArray[np.uint8]) -> list[NDArray[np.float64]]:
        h, w = rgb.shape[:2]
        with self._lock:
            if self._mesh is None:
                self._mesh = self._load()
            # Every call, not only the first: TFLite may build a delegate (and log it) on a later
            # call, e.g. for a new input size. Two dup2 calls cost microseconds.
            with _stderr_to_devnull(_quiet()):
                result = self._mesh.process(np.ascontiguousarray(rgb))
        faces: list[NDArray[np.float64]] = []
        for face in result.multi_face_landmarks or []:
            pts = np.array([(p.x * w, p.y * h, p.z * w) for p in face.landmark], dtype=np.float64)
            if pts.shape[0] == NUM_POINTS:
                faces.append(pts)
        return faces


    def find_faces(self, rgb: NDArray[np.uint8]) -> list[tuple[float, float, float, float]]:
        """Face boxes ``(x0, y0, x1, y1)`` in pixels from MediaPipe's *full-range* face detector.

        FaceMesh's own detector is the short-range one (faces filling much of the frame); this one
        also finds faces a few metres away, so the engine can run FaceMesh again on a crop around them.
        """
        h, w = rgb.shape[:2]
        with self._lock:
            if self._finder is None:
                _native_log_env()
                with _stderr_to_devnull(_quiet()):
                    from mediapipe.python.solutions import face_detection

                    self._finder = face_detection.FaceDetection(model_selection=1, min_detection_confidence=0.4)
            with _stderr_to_devnull(_quiet()):
                result = self._finder.process(np.ascontiguousarray(rgb))
        boxes: list[tuple[float, float, float, float]] = []
        for det in result.detections or []:
            b = det.location_data.relative_bounding_box
            boxes.append((b.xmin * w, b.ymin * h, (b.xmin + b.width) * w, (b.ymin + b.height) * h))
        return boxes


_default: MediaPipeLandmarker | None = None
_default_lock = threading.Lock()


def default_landmarker() -> MediaPipeLandmarker:
    """The process-wide MediaPipe landmarker (created on first use, model loaded on first detect)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = MediaPipeLandmarker()
        return _default
