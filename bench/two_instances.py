"""Two web instances, one worker, one PostgreSQL and one Redis: nothing is lost between processes.

    uv run --frozen python bench/two_instances.py --database-url postgres://postgres@127.0.0.1:5432/consult_bench_10000

On a database made by bench/generate.py: starts gunicorn A and gunicorn B on two ports (production
settings, both with the same DATABASE_URL and REDIS_URL, the same MEDIA_ROOT standing in for shared
S3-compatible storage), then
1. signs the bench user in (a session in the shared cache + database), casts a helpful vote through A
   (a real form POST with CSRF), and reads the thread through B signed in: the count and the voter's
   pressed button must show the vote; an anonymous reader through B sees it within the page-cache bound;
   the vote is then taken back the same way (so the script can be re-run);
2. signs the question's asker in, uploads a face photo to the question through A, runs a separate
   `manage.py photos_worker --once` process that measures it, and reads the report through B.
Exit 0 when everything arrived; 1 otherwise.
"""

from __future__ import annotations

import argparse
import http.cookies
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from load import collectstatic, free_port, server_env, start_gunicorn, stop  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/consult_bench"
FACE = ROOT / "tests" / "fixtures" / "faces" / "congress_B001287.jpg"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def request(
    url: str, *, cookies: dict[str, str], data: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, str, dict[str, str]]:
    all_headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()), **(headers or {})}
    req = urllib.request.Request(url, data=data, headers=all_headers)
    try:
        with OPENER.open(req, timeout=30) as response:
            status, body, raw = response.status, response.read().decode(), response.headers
    except urllib.error.HTTPError as error:
        status, body, raw = error.code, error.read().decode(errors="replace"), error.headers
    for header in raw.get_all("Set-Cookie") or []:
        jar = http.cookies.SimpleCookie(header)
        for key, morsel in jar.items():
            cookies[key] = morsel.value
    return status, body, dict(raw.items())


def session_for(env: dict[str, str], email: str) -> str:
    code = (
        "import sys, django; django.setup()\n"
        "from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY\n"
        "from django.contrib.sessions.backends.cached_db import SessionStore\n"
        "from consult.accounts.models import User\n"
        "user = User.objects.get(email=sys.argv[1])\n"
        "s = SessionStore()\n"
        "s[SESSION_KEY] = str(user.pk)\n"
        "s[BACKEND_SESSION_KEY] = 'consult.accounts.backends.EmailBackend'\n"
        "s[HASH_SESSION_KEY] = user.get_session_auth_hash()\n"
        "s.create()\n"
        "print(s.session_key)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, email], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip().splitlines()[-1]


def vote_state(body: str, answer_id: int) -> tuple[int, bool]:
    block = body.split(f'id="vote-{answer_id}"', 1)[1].split("</div>", 1)[0]
    count = int(re.search(r"data-vote-count>(\d+)<", block).group(1))  # type: ignore[union-attr]
    return count, 'aria-pressed="true"' in block


def csrf_from(body: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)  # type: ignore[union-attr]


def multipart(fields: dict[str, str], files: dict[str, Path]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts: list[bytes] = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, path in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{path.name}"\r\n'
            "Content-Type: image/jpeg\r\n\r\n".encode()
            + path.read_bytes()
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/1"))
    parser.add_argument("--port", type=int, default=0, help="A's port, B's is the next (default: free ports)")
    parser.add_argument("--no-photo", action="store_true", help="skip the photo + worker part")
    args = parser.parse_args(argv)

    media = Path(tempfile.mkdtemp(prefix="consult-two-"))
    env = server_env(args.database_url, args.redis_url)
    env["MEDIA_ROOT"] = str(media)
    env.pop("BENCH_HELLO", None)
    with psycopg.connect(args.database_url) as conn:
        row = conn.execute(
            "SELECT a.id, q.id, q.slug, u.email FROM questions_answer a JOIN questions_question q ON q.id = a.question_id"
            " JOIN accounts_user u ON u.id = q.author_id"
            " WHERE NOT a.is_hidden AND NOT q.is_hidden ORDER BY a.id DESC LIMIT 1"
        ).fetchone()
    assert row is not None, "run bench/generate.py first"
    answer_id, question_id, slug, asker_email = row
    thread = f"/questions/{question_id}/{slug}/"
    collectstatic(env)
    port_a = args.port or free_port()
    port_b = args.port + 1 if args.port else free_port()
    a = start_gunicorn(env, port=port_a, workers=1)
    b = start_gunicorn(env, port=port_b, workers=1)
    url_a, url_b = f"http://127.0.0.1:{port_a}", f"http://127.0.0.1:{port_b}"
    ok = True
    try:
        # -- 1. a vote through A, read through B ---------------------------------------------------
        anonymous: dict[str, str] = {}
        request(url_b + thread, cookies=anonymous)  # B caches the page for anonymous readers
        voter = {"sessionid": session_for(env, "bench@example.com")}
        status, body, _ = request(url_a + thread, cookies=voter)
        before, pressed = vote_state(body, answer_id)
        token = csrf_from(body)
        form = urllib.parse.urlencode({"csrfmiddlewaretoken": token}).encode()
        status, _, _ = request(f"{url_a}/answers/{answer_id}/helpful/", cookies=voter, data=form)
        expected = before - 1 if pressed else before + 1
        _, body_b, _ = request(url_b + thread, cookies=dict(voter))
        after_b, pressed_b = vote_state(body_b, answer_id)
        vote_ok = status == 302 and after_b == expected and pressed_b != pressed
        ok &= vote_ok
        print(f"vote through A (HTTP {status}): {before} -> {expected}; read through B signed in: {after_b},"
              f" pressed {pressed_b} -> {'ok' if vote_ok else 'LOST'}")
        time.sleep(1.1)  # a worker's in-memory copy of a page lives ANON_PAGE_LOCAL_SECONDS (1 s) at most
        _, body_anon, headers = request(url_b + thread, cookies={})
        anon_count, _ = vote_state(body_anon, answer_id)
        anon_ok = anon_count == expected
        ok &= anon_ok
        print(f"anonymous reader through B after 1.1 s: {anon_count} (page cache {headers.get('X-Page-Cache', '-')};"
              f" a vote bumps the thread's version) -> {'ok' if anon_ok else 'STALE'}")
        # take the vote back through B this time, so re-runs start from the same state
        _, body, _ = request(url_b + thread, cookies=voter)
        form = urllib.parse.urlencode({"csrfmiddlewaretoken": csrf_from(body)}).encode()
        request(f"{url_b}/answers/{answer_id}/helpful/", cookies=voter, data=form)
        _, body, _ = request(url_a + thread, cookies=dict(voter))
        back, _ = vote_state(body, answer_id)
        ok &= back == before
        print(f"vote taken back through B, read through A: {back} ({'ok' if back == before else 'LOST'})")

        # -- 2. a photo uploaded through A, measured by a separate worker, read through B ----------
        if args.no_photo:
            print("photo: skipped (--no-photo)")
        else:
            asker = {"sessionid": session_for(env, asker_email)}
            _, body, _ = request(f"{url_a}/photos/new/?question={question_id}", cookies=asker)
            data, content_type = multipart(
                {"csrfmiddlewaretoken": csrf_from(body), "question": str(question_id)}, {"photo_neutral": FACE}
            )
            status, _, headers = request(
                f"{url_a}/photos/new/?question={question_id}", cookies=asker, data=data,
                headers={"Content-Type": content_type},
            )  # fmt: skip
            with psycopg.connect(args.database_url) as conn:
                visit = conn.execute(
                    "SELECT v.id FROM photos_visit v JOIN accounts_user u ON u.id = v.patient_id"
                    " WHERE u.email = %s ORDER BY v.id DESC LIMIT 1",
                    (asker_email,),
                ).fetchone()
            if status != 302 or visit is None:
                print(f"photo upload through A failed (HTTP {status})")
                return 1
            started = time.monotonic()
            worker = subprocess.run(
                [sys.executable, "manage.py", "photos_worker", "--once"], cwd=ROOT, env=env,
                capture_output=True, text=True, timeout=300,
            )  # fmt: skip
            took = time.monotonic() - started
            _, report, _ = request(f"{url_b}/photos/visits/{visit[0]}/status/", cookies=asker)
            measured = "Measured" in report and worker.returncode == 0
            ok &= measured
            print(f"photo uploaded through A (visit {visit[0]}), measured by a separate worker process"
                  f" ({took:.1f} s incl. model load, exit {worker.returncode}), report read through B:"
                  f" {'Measured' if measured else 'NOT MEASURED'}")
            if not measured:
                print(worker.stdout[-2000:], worker.stderr[-2000:], sep="\n")
    finally:
        stop(a)
        stop(b)
    print("two instances: " + ("nothing lost" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
