"""Load test: gunicorn with production settings, wrk against the hot pages, a bare-Django baseline.

    uv run --frozen python bench/load.py --database-url postgres://postgres@127.0.0.1:5432/consult_bench_1000000

Starts gunicorn (config.settings.prod, DEBUG off, sync workers, 127.0.0.1) on a database made by
bench/generate.py, with REDIS_URL set (cache and sessions) and BENCH_HELLO=1 (which adds the baseline
view /bench/hello/: same settings, middleware and server, no database). For each page: a warm-up
run, then wrk (2 threads, 16 connections, 15 s by default) while VmRSS of every gunicorn worker is
sampled from /proc. Prints a Markdown table (req/s, p50, p99, errors, ratio to the baseline's
req/s, max RSS per worker) and writes the numbers to bench/out/load-<label>.json.

Pages: the baseline; a thread with 5 answers, anonymous and signed in (a session of the generator's
bench@example.com user); the question list; list page 10 000 through its keyset cursor (or the
deepest page there is); a tag page; a doctor profile; search, a mix of queries at random (``search_paths``),
anonymous (the page cache serves repeats) and signed in (every request searches). p95 comes from a wrk
done() callback. ``--only search`` runs just the search pages between the two baselines.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import re
import secrets
import signal
import socket
import string
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/consult_bench"
PAGE_SIZE = 20


def server_env(database_url: str, redis_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.prod",
            "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789",
            "DATABASE_URL": database_url,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "REDIS_URL": redis_url,
            "BENCH_HELLO": "1",
            "SECURE_SSL_REDIRECT": "0",  # plain HTTP on the loopback (prod redirects to HTTPS by default)
            "LOG_LEVEL": "ERROR",
            # one Redis, several bench databases: keep their cached pages and sessions apart
            "CACHE_KEY_PREFIX": str(psycopg.conninfo.conninfo_to_dict(database_url).get("dbname", "")),
        }
    )
    return env


def collectstatic(env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )


def free_port() -> int:
    """A port nobody listens on, below Linux's ephemeral range (32768-60999), where outgoing
    connections (to PostgreSQL, Redis, wrk's own) take their local ports and could collide."""
    rng = random.Random()
    for _ in range(200):
        port = rng.randrange(20_000, 32_000)
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise SystemExit("no free port between 20000 and 32000")


def start_gunicorn(env: dict[str, str], *, port: int, workers: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "config.wsgi",
            "--workers", str(workers), "--worker-class", "sync",
            "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--timeout", "60",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:  # exited: e.g. the port was taken after all
            raise SystemExit(f"gunicorn exited ({proc.returncode}) instead of serving on port {port}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit(f"gunicorn did not start on port {port}")


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()


def worker_pids(master: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == master:
            pids.append(int(entry.name))
    return sorted(pids)


def rss_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class RssSampler(threading.Thread):
    def __init__(self, master: int) -> None:
        super().__init__(daemon=True)
        self.master = master
        self.peak: dict[int, float] = {}
        self.running = True

    def run(self) -> None:
        while self.running:
            for pid in worker_pids(self.master):
                self.peak[pid] = max(self.peak.get(pid, 0.0), rss_mib(pid))
            time.sleep(0.25)


def _ms(value: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value.strip())
    if not match:
        return float("nan")
    number, unit = float(match.group(1)), match.group(2)
    return number * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def parse_wrk(text: str) -> dict[str, Any]:
    result: dict[str, Any] = {"raw": text}
    rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
    result["rps"] = float(rps.group(1)) if rps else 0.0
    total = re.search(r"(\d+) requests in", text)
    result["requests"] = int(total.group(1)) if total else 0
    for pct in ("50", "99"):
        found = re.search(rf"^\s+{pct}(?:\.000)?%\s+(\S+)", text, re.M)
        result[f"p{pct}_ms"] = _ms(found.group(1)) if found else float("nan")
    p95 = re.search(r"^p95_us (\d+)", text, re.M)  # printed by the scripts' done() (PERCENTILES_LUA)
    result["p95_ms"] = int(p95.group(1)) / 1000 if p95 else float("nan")
    errors = 0
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    if non2xx:
        errors += int(non2xx.group(1))
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    if sock:
        errors += sum(int(x) for x in sock.groups())
    result["errors"] = errors
    return result


# wrk prints p50/75/90/99 only; every run also prints p95 through this done() callback.
PERCENTILES_LUA = """
done = function(summary, latency, requests)
  io.write(string.format("p95_us %%d\\n", latency:percentile(95)))
end
"""
RANDOM_PATHS_LUA = """
local paths = {}
for line in io.lines("%s") do paths[#paths + 1] = line end
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
request = function() return wrk.format("GET", paths[math.random(#paths)]) end
""" + PERCENTILES_LUA


def wrk(
    url: str, *, seconds: float, threads: int, connections: int, cookie: str = "", script: str = ""
) -> dict[str, Any]:
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency"]
    if cookie:
        cmd += ["-H", f"Cookie: {cookie}"]
    if script:
        cmd += ["-s", script]
    done = subprocess.run([*cmd, url], capture_output=True, text=True, check=True)
    return parse_wrk(done.stdout)


def encode_cursor(created_at: Any, pk: int) -> str:
    raw = f"{created_at.isoformat()}|{pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def many_threads(database_url: str, count: int) -> list[str]:
    """Paths of ``count`` visible threads spread over the whole table (for the random-thread runs)."""
    with psycopg.connect(database_url) as conn:
        top = conn.execute("SELECT max(id) FROM questions_question").fetchone()
        step = max(1, int((top[0] if top and top[0] else 1) / count))
        rows = conn.execute(
            "SELECT id, slug FROM questions_question WHERE NOT is_hidden AND id %% %s = 0 ORDER BY id LIMIT %s",
            (step, count),
        ).fetchall()
    return [f"/questions/{pk}/{slug}/" for pk, slug in rows]


def pick_pages(database_url: str, deep_page: int) -> tuple[dict[str, str], dict[str, Any]]:
    """The URLs to load, chosen from the data: (name -> path, notes)."""
    with psycopg.connect(database_url) as conn:
        conn.execute("SET TIME ZONE 'UTC'")
        thread = conn.execute(
            "SELECT q.id, q.slug FROM questions_question q WHERE NOT q.is_hidden AND q.answer_count = 5"
            " AND (SELECT count(*) FROM questions_answer a WHERE a.question_id = q.id) = 5"
            " AND EXISTS (SELECT 1 FROM questions_question_tags t WHERE t.question_id = q.id)"
            " AND q.id > (SELECT max(id) / 2 FROM questions_question) ORDER BY q.id LIMIT 1"
        ).fetchone()
        if thread is None:
            raise SystemExit("no question with 5 answers: run bench/generate.py first")
        visible = conn.execute("SELECT count(*) FROM questions_question WHERE NOT is_hidden").fetchone()
        assert visible is not None
        page = max(1, min(deep_page, visible[0] // PAGE_SIZE))
        deep = conn.execute(
            "SELECT created_at, id FROM questions_question WHERE NOT is_hidden"
            " ORDER BY created_at DESC, id DESC OFFSET %s LIMIT 1",
            ((page - 1) * PAGE_SIZE - 1 if page > 1 else 0,),
        ).fetchone()
        assert deep is not None
        tags = conn.execute("SELECT slug, question_count FROM questions_tag ORDER BY question_count DESC").fetchall()
        tag_slug, tag_count = tags[len(tags) // 2]
        doctor = conn.execute(
            "SELECT slug, answer_count FROM doctors_doctorprofile WHERE status = 'verified'"
            " ORDER BY answer_count DESC, id LIMIT 1"
        ).fetchone()
        assert doctor is not None
    thread_path = f"/questions/{thread[0]}/{thread[1]}/"
    pages = {
        "baseline: bare Django hello": "/bench/hello/",
        "thread, 5 answers (anonymous)": thread_path,
        "thread, 5 answers (signed in)": thread_path,
        "question list, page 1": "/",
        f"question list, page {page} (keyset)": "/" + (f"?after={encode_cursor(*deep)}" if page > 1 else ""),
        f"tag page ({tag_count} questions)": f"/tags/{tag_slug}/",
        f"doctor profile ({doctor[1]} answers)": f"/doctors/{doctor[0]}/",
    }
    return pages, {"thread_id": thread[0], "deep_page": page, "tag": tag_slug, "doctor": doctor[0]}


SEARCH_WORDS = [
    "smile", "eyelid", "swelling", "tightness", "twitching", "surgeon", "recovery", "physiotherapist", "mirror",
    "exercises", "neurologist", "lip", "droops", "brow", "centimetre", "results", "onset", "worry", "repeating",
    "weaker", "episode", "options", "healthy", "photos", "narrows", "botulinum", "cornea", "reinnervated",
    "examination", "fever", "retraining", "assessment", "muscles", "stage", "tired", "months", "weeks",
]  # fmt: skip
SEARCH_PHRASES = ["uneven smile", "one eyelid", "mirror exercises", "eyelid weight", "nerve transfers", "two years ago"]
SEARCH_PROCEDURES = [
    ("botox", "Botox"), ("fillers", "Fillers"), ("facelift", "Facelift"), ("brow-lift", "Brow lift"),
    ("ptosis", "Ptosis"), ("rhinoplasty", "Rhinoplasty"), ("ramsay-hunt", "Ramsay Hunt syndrome"),
    ("moebius", "Moebius syndrome"), ("dry-eye", "Dry eye"), ("gold-weight", "Gold weight"),
    ("thread-lift", "Thread lift"), ("microneedling", "Microneedling"), ("masseter", "Masseter Botox"),
]  # fmt: skip
SEARCH_SPECIALTIES = ["facial-plastic", "plastic", "oculoplastic", "dermatology", "ent-facial-nerve", "neurology"]


def search_paths(count: int, seed: int = 7) -> list[str]:
    """``count`` search URLs over the generated data's vocabulary (bench/generate.py's titles and texts, where
    every word is common): one to three words, a concern's name, a phrase, an exclusion, a concern filter,
    unanswered only, doctors by city and specialty, a typo, a word that matches nothing. Deterministic."""
    from urllib.parse import urlencode

    rng = random.Random(seed)
    makers = [
        lambda: {"q": rng.choice(SEARCH_WORDS)},
        lambda: {"q": " ".join(rng.sample(SEARCH_WORDS, 2))},
        lambda: {"q": " ".join(rng.sample(SEARCH_WORDS, 3))},
        lambda: {"q": rng.choice(SEARCH_PROCEDURES)[1]},
        lambda: {"q": f'"{rng.choice(SEARCH_PHRASES)}"'},
        lambda: {"q": f"{rng.choice(SEARCH_WORDS)} -{rng.choice(SEARCH_WORDS)}"},
        lambda: {"q": rng.choice(SEARCH_WORDS), "tag": rng.choice(SEARCH_PROCEDURES)[0]},
        lambda: {"q": rng.choice(SEARCH_PROCEDURES)[1], "answered": "no"},
        lambda: {"q": rng.choice(["Boston", "Denver", "Austin", "Seattle", "Chicago"]), "kind": "doctor",
                 "specialty": rng.choice(SEARCH_SPECIALTIES)},
        lambda: {"q": rng.choice(["swellng", "eyeld", "botx", "recovry"])},
        lambda: {"q": f"zq{rng.randrange(10**6)}x"},
    ]
    return [f"/search/?{urlencode(makers[i % len(makers)]())}" for i in range(count)]


def bench_session(env: dict[str, str]) -> str:
    """A signed-in session for bench@example.com, stored like a real sign-in (cached_db: Redis + DB)."""
    code = (
        "import django; django.setup()\n"
        "from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY\n"
        "from django.contrib.sessions.backends.cached_db import SessionStore\n"
        "from consult.accounts.models import User\n"
        "user = User.objects.get(email='bench@example.com')\n"
        "s = SessionStore()\n"
        "s[SESSION_KEY] = str(user.pk)\n"
        "s[BACKEND_SESSION_KEY] = 'consult.accounts.backends.EmailBackend'\n"
        "s[HASH_SESSION_KEY] = user.get_session_auth_hash()\n"
        "s.create()\n"
        "print(s.session_key)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    # A browser keeps the csrftoken cookie Django set on its first page; without it every request would mint
    # (and set) a new CSRF secret, which no real signed-in reader pays for.
    csrf = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
    return f"sessionid={done.stdout.strip().splitlines()[-1]}; csrftoken={csrf}"


def wait_until_serving(url: str, seconds: float = 90.0) -> None:
    """The port accepts as soon as gunicorn's master binds it; on a loaded machine the workers may need
    longer than a request's timeout to import Django, so the first page is retried until one answers."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            check(url)
            return
        except (TimeoutError, OSError):
            if time.monotonic() > deadline:
                raise
            time.sleep(1)


def check(url: str, cookie: str = "") -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=60) as response:  # a first request on a busy machine is slow
        return response.status, response.read().decode()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/1"))
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--duration", type=float, default=15.0, help="seconds of measured load per page")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of unmeasured load first")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--deep-page", type=int, default=10_000)
    parser.add_argument("--label", default="", help="names the JSON file (default: the database name)")
    parser.add_argument(
        "--local-seconds", default="1", help="ANON_PAGE_LOCAL_SECONDS for the server (0: no in-process hot pages)"
    )
    parser.add_argument("--random-threads", type=int, default=1000, help="threads in the random-thread runs (0: skip)")
    parser.add_argument("--search-queries", type=int, default=330, help="queries in the search runs (0: skip)")
    parser.add_argument("--only", default="", help="run only the pages whose name contains this (and the baselines)")
    args = parser.parse_args(argv)

    env = server_env(args.database_url, args.redis_url)
    env["ANON_PAGE_LOCAL_SECONDS"] = args.local_seconds
    pages, notes = pick_pages(args.database_url, args.deep_page)
    script = ""
    if args.random_threads:
        paths = many_threads(args.database_url, args.random_threads)
        OUT.mkdir(parents=True, exist_ok=True)
        listing = OUT / f"paths-{os.getpid()}.txt"
        listing.write_text("\n".join(paths) + "\n")
        script_file = OUT / f"random-{os.getpid()}.lua"
        script_file.write_text(RANDOM_PATHS_LUA % listing)
        script = str(script_file)
        pages[f"threads, {len(paths):,} at random (anonymous)"] = paths[0]
        pages[f"threads, {len(paths):,} at random (signed in)"] = paths[0]
        notes["random_threads"] = len(paths)
    search_script = ""
    if args.search_queries:
        OUT.mkdir(parents=True, exist_ok=True)
        listing = OUT / f"search-{os.getpid()}.txt"
        queries = search_paths(args.search_queries)
        listing.write_text("\n".join(queries) + "\n")
        search_file = OUT / f"searchrandom-{os.getpid()}.lua"
        search_file.write_text(RANDOM_PATHS_LUA % listing)
        search_script = str(search_file)
        pages[f"search, {len(queries)} queries at random (anonymous)"] = queries[0]
        pages[f"search, {len(queries)} queries at random (signed in)"] = queries[0]
        notes["search_queries"] = len(queries)
    if args.only:
        pages = {k: v for k, v in pages.items() if k.startswith("baseline") or args.only in k}
    OUT.mkdir(parents=True, exist_ok=True)
    percentiles_file = OUT / f"percentiles-{os.getpid()}.lua"
    percentiles_file.write_text(PERCENTILES_LUA % ())
    collectstatic(env)
    cookie = bench_session(env)
    port = args.port or free_port()
    server = start_gunicorn(env, port=port, workers=args.workers)
    base = f"http://127.0.0.1:{port}"
    wait_until_serving(base + pages["baseline: bare Django hello"])
    results: list[dict[str, Any]] = []
    # The baseline runs first and again last; ratios use the mean of the two (the machine is shared).
    pages["baseline again (end of run)"] = pages["baseline: bare Django hello"]
    try:
        for name, path in pages.items():
            page_cookie = cookie if "signed in" in name else ""
            status, body = check(base + path, page_cookie)
            if status != 200:
                raise SystemExit(f"{name}: {path} answered {status}")
            if page_cookie and "Sign out" not in body:
                raise SystemExit("the bench session is not signed in")
            page_script = (
                search_script if name.startswith("search,") else script if "at random" in name else str(percentiles_file)
            )
            load = {"threads": args.threads, "connections": args.connections, "cookie": page_cookie, "script": page_script}
            wrk(base + path, seconds=args.warmup, **load)  # type: ignore[arg-type]
            sampler = RssSampler(server.pid)
            sampler.start()
            measured = wrk(base + path, seconds=args.duration, **load)  # type: ignore[arg-type]
            sampler.running = False
            sampler.join()
            measured.update(
                {
                    "page": name,
                    "path": path,
                    "rss_mib_max": round(max(sampler.peak.values(), default=0.0), 1),
                    "rss_mib_per_worker": [round(v, 1) for v in sampler.peak.values()],
                }
            )
            results.append(measured)
    finally:
        stop(server)
        for leftover in OUT.glob(f"*-{os.getpid()}.*"):
            leftover.unlink()

    baseline = (results[0]["rps"] + results[-1]["rps"]) / 2 or 1.0
    for row in results:
        row["ratio"] = round(row["rps"] / baseline, 3)
    label = args.label or psycopg.conninfo.conninfo_to_dict(args.database_url).get("dbname", "bench")
    OUT.mkdir(parents=True, exist_ok=True)
    record = {
        "label": label,
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "command": " ".join(["bench/load.py", *(argv if argv is not None else sys.argv[1:])]),
        "workers": args.workers,
        "duration_s": args.duration,
        "threads": args.threads,
        "connections": args.connections,
        "notes": notes,
        "anon_page_local_seconds": args.local_seconds,
        "loadavg": os.getloadavg(),
        "results": [{k: v for k, v in row.items() if k != "raw"} for row in results],
    }
    (OUT / f"load-{label}.json").write_text(json.dumps(record, indent=2, default=str))
    print(
        f"\n{label}: {args.workers} sync workers, ANON_PAGE_LOCAL_SECONDS={args.local_seconds},"
        f" wrk -t{args.threads} -c{args.connections} -d{args.duration:g}s,"
        f" {record['date']}, load average {record['loadavg'][0]:.1f} at the end; ratio = req/s / mean of the"
        f" two baseline runs ({baseline:.0f} req/s)\n"
    )
    print("| page | req/s | p50 ms | p95 ms | p99 ms | errors | ratio to baseline | max RSS per worker MiB |")
    print("|---|---|---|---|---|---|---|---|")
    for row in results:
        print(
            f"| {row['page']} | {row['rps']:.0f} | {row['p50_ms']:.2f} | {row['p95_ms']:.2f} | {row['p99_ms']:.2f} |"
            f" {row['errors']} | {row['ratio']:.2f} | {row['rss_mib_max']:.0f} |"
        )
    failed = [row["page"] for row in results if row["errors"] or not row["requests"]]
    if failed:
        print(f"\nerrors on: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
