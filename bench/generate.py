"""Load a big synthetic Consult into PostgreSQL, fast: the benchmark data set.

    uv run --frozen python bench/generate.py --questions 1000000 \
        --database-url postgres://postgres@127.0.0.1:5432/consult_bench_1m

What it makes (deterministic for a given --seed): N questions (1-3 concern tags each, skewed so a few
tags are big and some are small), 0-6 doctor answers per question, 0-4 helpful votes per answer, the
patients who ask and vote, 30 000 doctors (95 % verified) with their user rows, and one bench user
(bench@example.com) for the signed-in load test. About 0.5 % of questions and 1 % of answers are hidden.

How it stays fast (about 10 min for 1M questions on 2 cores, then about 12 for the search index):
- The real schema: `manage.py migrate` runs first against the target database.
- Secondary indexes, unique and foreign-key constraints on the big tables are saved (their DDL, in
  `bench_saved_ddl`) and dropped before loading, and rebuilt after (primary keys stay: ids are
  appended in order, so the pkey b-tree only grows at its right edge).
- Rows go in with COPY (psycopg 3), one transaction per chunk of questions with their answers,
  votes and tags. Ids are explicit and derived from the question id (answer = q*8+j, vote = a*8+k),
  so no round trip is needed for keys and a chunk regenerates identically.
- Denormalised counters (answer, helpful, tag and doctor answer counts) are loaded as 0 and computed
  after the indexes are rebuilt by the platform's recount service (consult.questions.recount, also
  behind `manage.py recount` and the demo loader), counting visible content only, as the services do.
- Related questions (`questions_relatedquestion`, which the platform stores when a thread is created
  or answered) are filled set-based: the 5 newest earlier questions sharing the question's first tag.
  The platform ranks by tags shared among the newest 300; the read a thread page runs is the same.
- Then VACUUM ANALYZE, so the planner has statistics and index-only scans work.
- Last, the search index (consult/search): `manage.py search_rebuild`'s own code, set-based INSERT ... SELECT
  in transactions of 50 000 questions, its full-text indexes built once at the end. A database generated
  before the search app existed gets this step alone when the generator runs again.

Idempotent and resumable: each finished step (and chunk) is recorded in `bench_generate_state` in
the same transaction as its rows. Re-running continues where a crashed run stopped; re-running a
finished database does nothing. `--reset` empties the content tables and starts again.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
from tqdm import tqdm

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/consult_bench"
BIG_TABLES = [
    "accounts_user",
    "doctors_doctorprofile",
    "questions_question",
    "questions_answer",
    "questions_helpfulvote",
    "questions_question_tags",
]
CONTENT_TABLES = [*BIG_TABLES, "questions_tag", "questions_relatedquestion"]
RELATED_SQL = """
INSERT INTO questions_relatedquestion (question_id, related_id, rank)
SELECT q.id, r.question_id, r.rank
FROM questions_question q
CROSS JOIN LATERAL (
    SELECT min(t.tag_id) AS tag_id FROM questions_question_tags t WHERE t.question_id = q.id
) first_tag
CROSS JOIN LATERAL (
    SELECT o.question_id, (row_number() OVER (ORDER BY o.question_id DESC) - 1) AS rank
    FROM questions_question_tags o
    WHERE o.tag_id = first_tag.tag_id AND o.question_id < q.id
    ORDER BY o.question_id DESC LIMIT 5
) r
WHERE q.id BETWEEN %s AND %s
"""
BENCH_EMAIL = "bench@example.com"
EPOCH = datetime(2021, 1, 1, tzinfo=UTC)
SPAN = timedelta(days=5 * 365)

TAGS = [
    ("facial-palsy", "Facial palsy"), ("bells-palsy", "Bell's palsy"), ("synkinesis", "Synkinesis"),
    ("botox", "Botox"), ("fillers", "Fillers"), ("facelift", "Facelift"), ("brow-lift", "Brow lift"),
    ("eyelid-surgery", "Eyelid surgery"), ("eyelid-weight", "Eyelid weight"), ("smile-surgery", "Smile surgery"),
    ("nerve-transfer", "Nerve transfer"), ("asymmetry", "Facial asymmetry"), ("ptosis", "Ptosis"),
    ("rhinoplasty", "Rhinoplasty"), ("lip-filler", "Lip filler"), ("chin-implant", "Chin implant"),
    ("jawline", "Jawline"), ("neck-lift", "Neck lift"), ("ramsay-hunt", "Ramsay Hunt syndrome"),
    ("acoustic-neuroma", "Acoustic neuroma"), ("physiotherapy", "Facial physiotherapy"),
    ("electrical-stimulation", "Electrical stimulation"), ("tear-trough", "Tear trough"),
    ("crows-feet", "Crow's feet"), ("forehead-lines", "Forehead lines"), ("masseter", "Masseter Botox"),
    ("dry-eye", "Dry eye"), ("gold-weight", "Gold weight"), ("static-sling", "Static sling"),
    ("gracilis-transfer", "Gracilis transfer"), ("hypoglossal-transfer", "Hypoglossal transfer"),
    ("moebius", "Moebius syndrome"), ("hemifacial-spasm", "Hemifacial spasm"), ("scar-revision", "Scar revision"),
    ("cheek-implant", "Cheek implant"), ("fat-grafting", "Fat grafting"), ("thread-lift", "Thread lift"),
    ("laser-resurfacing", "Laser resurfacing"), ("microneedling", "Microneedling"), ("recovery", "Recovery"),
]  # fmt: skip
PROCEDURES = [name for _, name in TAGS]
FIRST = ["Alex", "Sam", "Robin", "Jordan", "Taylor", "Casey", "Morgan", "Jamie", "Riley", "Avery", "Quinn", "Kai"]
LAST = ["Nguyen", "Smith", "Garcia", "Okafor", "Kowalski", "Haddad", "Silva", "Chen", "Novak", "Patel", "Berg"]
CITIES = [("Boston", "MA"), ("Denver", "CO"), ("Austin", "TX"), ("Seattle", "WA"), ("Miami", "FL"),
          ("Chicago", "IL"), ("Phoenix", "AZ"), ("Portland", "OR"), ("Atlanta", "GA"), ("New York", "NY")]  # fmt: skip
SPECIALTIES = ["facial-plastic", "plastic", "oculoplastic", "dermatology", "ent-facial-nerve", "neurology", "physiatry"]
CREDENTIALS = ["MD", "MD, FACS", "DO", "MD, PhD", "MBBS, FRCS"]
TITLES = [
    "How long until {p} results settle on one side?",
    "Is {p} worth it eight months after onset?",
    "Uneven smile after {p}: normal or not?",
    "Can {p} help when one eyelid will not close?",
    "What should I ask my surgeon before {p}?",
    "Tightness and twitching after {p}, what now?",
    "Does {p} need repeating, and how often?",
    "Swelling three weeks after {p}: when to worry?",
]
SENTENCES = [
    "My left side has been weaker since an episode two years ago.",
    "I noticed that when I smile my eye narrows on the affected side.",
    "The physiotherapist suggested mirror exercises twice a day.",
    "Eating and drinking are mostly fine, but my lip droops when I am tired.",
    "I would like to know what the realistic options are at this stage.",
    "My neurologist said recovery usually plateaus after about a year.",
    "I am 45 and otherwise healthy, no other conditions.",
    "Photos from last month show the brow about a centimetre lower on that side.",
]
ADVICE = [
    "At this stage most of the spontaneous recovery has happened, so it is reasonable to look at targeted treatment.",
    "Small doses of botulinum toxin on the **stronger** side can balance the smile and soften synkinesis.",
    "A specialised facial therapist can teach neuromuscular retraining, which helps many people with tightness.",
    "An eyelid weight protects the cornea when the eye does not close fully; it is a short procedure.",
    "Before any surgery, a careful examination and standardised photographs let us measure change over time.",
    "Swelling for several weeks is common; sudden pain, fever or vision changes need to be seen the same day.",
    "Nerve transfers work best in the first year or two, while the facial muscles can still be reinnervated.",
    "Results vary between people, so a plan should be built on your own goals and an in-person assessment.",
]


def _copy_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _iso(stamp: datetime) -> str:
    return stamp.isoformat()


class Texts:
    """Pools of bodies, rendered to sanitised HTML once with the platform's real renderer."""

    def __init__(self, rng: random.Random) -> None:
        from consult.core.markdown import render

        self.question_bodies = []
        for _ in range(40):
            body = "\n\n".join(" ".join(rng.sample(SENTENCES, 3)) for _ in range(2))
            self.question_bodies.append((_copy_escape(body), _copy_escape(str(render(body)))))
        self.answer_bodies = []
        for _ in range(60):
            body = "\n\n".join(rng.sample(ADVICE, 3)) + "\n\n- " + "\n- ".join(rng.sample(ADVICE, 2))
            self.answer_bodies.append((_copy_escape(body), _copy_escape(str(render(body)))))


def _connect(url: str) -> psycopg.Connection:
    return psycopg.connect(url, autocommit=False)


def _ensure_database(url: str) -> None:
    info = psycopg.conninfo.conninfo_to_dict(url)
    name = info.get("dbname")
    admin = psycopg.conninfo.make_conninfo(url, dbname="postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')  # name comes from the operator's own URL


def _migrate(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ["DEBUG"] = "0"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


class State:
    def __init__(self, conn: psycopg.Connection) -> None:
        self.conn = conn
        conn.execute(
            "CREATE TABLE IF NOT EXISTS bench_generate_state (step text PRIMARY KEY, value text NOT NULL,"
            " done_at timestamptz NOT NULL DEFAULT now())"
        )
        conn.execute(
            "CREATE TABLE IF NOT EXISTS bench_saved_ddl (seq serial PRIMARY KEY, kind text NOT NULL,"
            " tbl text NOT NULL, name text NOT NULL, ddl text NOT NULL)"
        )
        conn.commit()

    def get(self, step: str) -> str | None:
        row = self.conn.execute("SELECT value FROM bench_generate_state WHERE step = %s", (step,)).fetchone()
        return row[0] if row else None

    def done(self, step: str) -> bool:
        return self.get(step) is not None

    def mark(self, step: str, value: str = "") -> None:
        """Record a step; call inside the step's own transaction, then commit."""
        self.conn.execute(
            "INSERT INTO bench_generate_state (step, value) VALUES (%s, %s)"
            " ON CONFLICT (step) DO UPDATE SET value = EXCLUDED.value, done_at = now()",
            (step, value),
        )


def _tune(conn: psycopg.Connection) -> None:
    conn.execute("SET synchronous_commit = off")
    conn.execute("SET maintenance_work_mem = '1GB'")
    conn.execute("SET work_mem = '256MB'")
    conn.execute("SET max_parallel_maintenance_workers = 2")


def _defer_indexes(conn: psycopg.Connection) -> None:
    """Save the DDL of every secondary index and FK/unique constraint on the big tables, then drop them."""
    constraints = conn.execute(
        "SELECT c.conname, c.conrelid::regclass::text, pg_get_constraintdef(c.oid), c.contype, c.conindid"
        " FROM pg_constraint c WHERE c.contype IN ('f', 'u') AND c.conrelid::regclass::text = ANY(%s)"
        " ORDER BY c.contype DESC",  # unique before foreign keys when rebuilding
        (BIG_TABLES,),
    ).fetchall()
    backing = {row[4] for row in constraints if row[4]}
    indexes = conn.execute(
        "SELECT i.indexrelid::regclass::text, i.indrelid::regclass::text, pg_get_indexdef(i.indexrelid),"
        " i.indexrelid FROM pg_index i WHERE NOT i.indisprimary AND i.indrelid::regclass::text = ANY(%s)",
        (BIG_TABLES,),
    ).fetchall()
    for name, table, definition, _kind, _ in constraints:
        conn.execute(
            "INSERT INTO bench_saved_ddl (kind, tbl, name, ddl) VALUES ('constraint', %s, %s, %s)",
            (table, name, f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'),
        )
    for name, table, definition, oid in indexes:
        if oid in backing:
            continue
        conn.execute(
            "INSERT INTO bench_saved_ddl (kind, tbl, name, ddl) VALUES ('index', %s, %s, %s)",
            (table, name, definition),
        )
    # Foreign keys first (they depend on the unique indexes), then uniques, then plain indexes.
    for name, table, _definition, _kind, _ in sorted(constraints, key=lambda r: r[3] != "f"):
        conn.execute(f'ALTER TABLE {table} DROP CONSTRAINT IF EXISTS "{name}"')
    for name, _table, _definition, oid in indexes:
        if oid not in backing:
            conn.execute(f"DROP INDEX IF EXISTS {name}")


def _rebuild_indexes(conn: psycopg.Connection, state: State) -> None:
    rows = conn.execute("SELECT seq, kind, name, ddl FROM bench_saved_ddl ORDER BY kind DESC, seq").fetchall()
    # 'index' sorts after 'constraint' with DESC: plain indexes first, then uniques, then FKs (ordered by seq).
    for seq, _kind, name, ddl in tqdm(rows, desc="indexes and constraints", unit="ddl"):
        step = f"ddl:{seq}"
        if state.done(step):
            continue
        exists = conn.execute(
            "SELECT 1 FROM pg_class WHERE relname = %s UNION SELECT 1 FROM pg_constraint WHERE conname = %s",
            (name, name),
        ).fetchone()
        if not exists:
            conn.execute(ddl)
        state.mark(step)
        conn.commit()


def _search_index(conn: psycopg.Connection, state: State) -> None:
    """Fill the search index with the platform's own rebuild (through Django's connection), then analyse it."""
    if state.done("search_index"):
        return
    from consult.search.services import search_index_rebuild

    started = time.monotonic()
    counts = search_index_rebuild(question_chunk=50_000)
    conn.commit()
    conn.autocommit = True
    conn.execute("VACUUM ANALYZE search_searchdocument")
    conn.autocommit = False
    state.mark("search_index", json.dumps(counts))
    conn.commit()
    print(f"search index: {counts} in {time.monotonic() - started:.0f} s")


def _reset(conn: psycopg.Connection) -> None:
    tables = ", ".join(CONTENT_TABLES)
    conn.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    conn.execute("DELETE FROM bench_generate_state")
    # Saved DDL is kept only if it has not been rebuilt yet (the indexes are still dropped).
    conn.commit()


def _copy(conn: psycopg.Connection, table: str, columns: str, buffer: io.StringIO) -> None:
    with conn.cursor() as cur, cur.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        copy.write(buffer.getvalue())


def _load_people(conn: psycopg.Connection, *, patients: int, doctors: int, rng: random.Random) -> None:
    """Users 1..patients are patients (askers and voters), then the doctors' users, then the bench user."""
    joined = _iso(EPOCH)
    buf = io.StringIO()
    for uid in range(1, patients + doctors + 1):
        is_doctor = uid > patients
        role = "doctor" if is_doctor else "patient"
        first = FIRST[uid % len(FIRST)]
        buf.write(f"{uid}\t!\t\\N\tf\t{first}\t\tf\tt\t{joined}\tuser{uid}@bench.example\t{first} {uid}\t{role}\t0\n")
    bench_id = patients + doctors + 1
    buf.write(f"{bench_id}\t!\t\\N\tf\tBench\t\tf\tt\t{joined}\t{BENCH_EMAIL}\tBench reader\tpatient\t0\n")
    _copy(
        conn,
        "accounts_user",
        "id, password, last_login, is_superuser, first_name, last_name, is_staff, is_active, date_joined,"
        " email, display_name, role, unread_notifications",
        buf,
    )
    buf = io.StringIO()
    for did in range(1, doctors + 1):
        uid = patients + did
        first, last = FIRST[did % len(FIRST)], LAST[(did // len(FIRST)) % len(LAST)]
        city, state = CITIES[did % len(CITIES)]
        status = "pending" if did % 20 == 0 else "verified"
        verified_at = joined if status == "verified" else "\\N"
        rating = f"{3 + (did % 21) / 10:.1f}" if did % 3 else "\\N"
        reviews = did % 40 if did % 3 else 0
        buf.write(
            f"{did}\tdr-{first.lower()}-{last.lower()}-{did}\t{first} {last}\t{CREDENTIALS[did % len(CREDENTIALS)]}\t"
            f"{SPECIALTIES[did % len(SPECIALTIES)]}\t{city}\t{state}\tFacial specialist in {city}.\tL{did:07d}\t"
            f"{state}\t{status}\t{verified_at}\t{rating}\t{reviews}\t0\t{joined}\t{joined}\t{uid}\t"
            f"US\t{did:010d}\t\t{first} {last} Facial Clinic\t{did} Main St, {city}, {state}\t\t\tEnglish\t0\n"
        )
    _copy(
        conn,
        "doctors_doctorprofile",
        "id, slug, full_name, credentials, specialty, city, state, bio, license_number, license_state, status,"
        " verified_at, rating_avg, review_count, answer_count, created_at, updated_at, user_id,"
        " registration_country, registration_number, board_certification, practice_name, practice_address,"
        " practice_phone, practice_website, languages, helpful_count",
        buf,
    )
    buf = io.StringIO()
    for tid, (slug, name) in enumerate(TAGS, start=1):
        buf.write(f"{tid}\t{slug}\t{_copy_escape(name)}\tQuestions about {_copy_escape(name.lower())}.\t0\n")
    _copy(conn, "questions_tag", "id, slug, name, description, question_count", buf)


def _load_chunk(
    conn: psycopg.Connection,
    *,
    first: int,
    last: int,
    total: int,
    patients: int,
    doctors: int,
    texts: Texts,
    seed: int,
) -> None:
    """Questions first..last (inclusive ids) with their tags, answers and votes."""
    from django.utils.text import slugify

    rng = random.Random(seed * 1_000_003 + first)
    verified = [d for d in range(1, doctors + 1) if d % 20 != 0]
    tag_weights = [1.0 / (i + 1) ** 0.8 for i in range(len(TAGS))]
    tag_ids = list(range(1, len(TAGS) + 1))
    step = SPAN / max(total, 1)
    q_buf, t_buf, a_buf, v_buf = io.StringIO(), io.StringIO(), io.StringIO(), io.StringIO()
    slugs: dict[str, str] = {}
    for qid in range(first, last + 1):
        created = EPOCH + step * qid
        c = _iso(created)
        proc = PROCEDURES[rng.randrange(len(PROCEDURES))]
        title = TITLES[rng.randrange(len(TITLES))].format(p=proc.lower() if proc[0].isupper() else proc)
        slug = slugs.get(title)
        if slug is None:
            slug = slugs[title] = slugify(title)[:200]
        body, body_html = texts.question_bodies[rng.randrange(len(texts.question_bodies))]
        author = rng.randint(1, patients)
        hidden = "t" if rng.random() < 0.005 else "f"
        age = rng.randint(18, 80) if rng.random() < 0.7 else None
        sex = ("female", "male", "other", "")[rng.randrange(4)]
        q_buf.write(
            f"{qid}\t{_copy_escape(title)}\t{slug}\t{body}\t{body_html}\tPatient {author}\t"
            f"{age if age is not None else chr(92) + 'N'}\t{sex}\t0\t{hidden}\t{c}\t{c}\t{author}\t\\N\t0\n"
        )
        for k, tag in enumerate(sorted(set(rng.choices(tag_ids, weights=tag_weights, k=rng.randint(1, 3))))):
            t_buf.write(f"{qid * 4 + k}\t{qid}\t{tag}\n")
        n_answers = rng.randint(0, 6)
        for j, doctor in enumerate(rng.sample(verified, n_answers)):
            aid = qid * 8 + j
            headline = _copy_escape(ADVICE[rng.randrange(len(ADVICE))][:120].rstrip(" ,.*"))
            abody, ahtml = texts.answer_bodies[rng.randrange(len(texts.answer_bodies))]
            a_created = _iso(created + timedelta(hours=3 + 11 * j))
            a_hidden = "t" if rng.random() < 0.01 else "f"
            a_buf.write(f"{aid}\t{headline}\t{abody}\t{ahtml}\t0\t{a_hidden}\t{a_created}\t{a_created}\t{doctor}\t{qid}\n")
            for k, voter in enumerate(rng.sample(range(1, patients + 1), rng.randint(0, 4))):
                v_buf.write(f"{aid * 8 + k}\t{a_created}\t{aid}\t{voter}\n")
    _copy(
        conn,
        "questions_question",
        "id, title, slug, body, body_html, display_name, age, sex, answer_count, is_hidden, created_at,"
        " updated_at, author_id, most_helpful_answer_id, update_count",
        q_buf,
    )
    _copy(conn, "questions_question_tags", "id, question_id, tag_id", t_buf)
    _copy(
        conn,
        "questions_answer",
        "id, headline, body, body_html, helpful_count, is_hidden, created_at, updated_at, doctor_id, question_id",
        a_buf,
    )
    _copy(conn, "questions_helpfulvote", "id, created_at, answer_id, user_id", v_buf)


SEQUENCES = [*BIG_TABLES, "questions_tag"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--questions", type=int, default=1_000_000)
    parser.add_argument("--doctors", type=int, default=30_000)
    parser.add_argument("--patients", type=int, default=0, help="default: questions / 5, at least 1 000")
    parser.add_argument("--chunk", type=int, default=25_000, help="questions per COPY transaction")
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--reset", action="store_true", help="empty the content tables and start again")
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    args = parser.parse_args(argv)
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("the generator loads PostgreSQL only (COPY); pass a postgres:// URL")
    if args.quiet:
        os.environ["TQDM_DISABLE"] = "1"
    patients = args.patients or max(1_000, args.questions // 5)
    started = time.monotonic()
    wanted = f"questions={args.questions} doctors={args.doctors} patients={patients} seed={args.seed}"

    _ensure_database(args.database_url)
    _migrate(args.database_url)
    conn = _connect(args.database_url)
    _tune(conn)
    state = State(conn)
    if args.reset:
        _reset(conn)
    if state.done("done") and state.get("params") == wanted:
        if state.done("search_index"):
            print(f"already generated ({wanted}); nothing to do. Use --reset to start again.")
        else:
            _search_index(conn, state)
        return 0
    params = state.get("params")
    if params is not None and params != wanted:
        print(f"this database holds another data set ({params}); use --reset", file=sys.stderr)
        return 2
    if params is None:
        existing = conn.execute("SELECT count(*) FROM questions_question").fetchone()
        if existing and existing[0]:
            print("the database already holds questions not made by this generator; use --reset", file=sys.stderr)
            return 2
        state.mark("params", wanted)
        conn.commit()

    if not state.done("deferred"):
        _defer_indexes(conn)
        state.mark("deferred")
        conn.commit()
    rng = random.Random(args.seed)
    texts = Texts(rng)
    if not state.done("people"):
        _load_people(conn, patients=patients, doctors=args.doctors, rng=rng)
        state.mark("people")
        conn.commit()

    chunks = [(lo, min(lo + args.chunk - 1, args.questions)) for lo in range(1, args.questions + 1, args.chunk)]
    with tqdm(total=args.questions, desc="questions", unit="q", unit_scale=True) as bar:
        for lo, hi in chunks:
            step = f"chunk:{lo}"
            if not state.done(step):
                _load_chunk(
                    conn,
                    first=lo,
                    last=hi,
                    total=args.questions,
                    patients=patients,
                    doctors=args.doctors,
                    texts=texts,
                    seed=args.seed,
                )
                state.mark(step)
                conn.commit()
            bar.update(hi - lo + 1)

    if not state.done("sequences"):
        for table in SEQUENCES:
            conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
            )
        state.mark("sequences")
        conn.commit()

    _rebuild_indexes(conn, state)
    # Counters last, once the indexes on the counted foreign keys are back: the platform's own recount
    # (one ORM UPDATE per counter through Django's connection), the code the demo and `manage.py recount` run.
    from consult.questions.recount import COUNTERS

    for name, recount in tqdm(COUNTERS.items(), desc="counters", unit="counter"):
        if not state.done(f"counter:{name}"):
            recount()
            state.mark(f"counter:{name}")
            conn.commit()
    step = 200_000
    for lo in tqdm(range(1, args.questions + 1, step), desc="related questions", unit="chunk"):
        if not state.done(f"related:{lo}"):
            conn.execute(RELATED_SQL, (lo, lo + step - 1))
            state.mark(f"related:{lo}")
            conn.commit()
    if not state.done("vacuum"):
        conn.commit()
        conn.autocommit = True
        for table in CONTENT_TABLES:
            conn.execute(f"VACUUM ANALYZE {table}")
        conn.autocommit = False
        state.mark("vacuum")
        conn.commit()
    _search_index(conn, state)
    conn.execute("DELETE FROM bench_saved_ddl")
    state.mark("done", time.strftime("%Y-%m-%dT%H:%M:%S"))
    conn.commit()
    counts = conn.execute(
        "SELECT (SELECT count(*) FROM questions_question), (SELECT count(*) FROM questions_answer),"
        " (SELECT count(*) FROM questions_helpfulvote), (SELECT count(*) FROM doctors_doctorprofile)"
    ).fetchone()
    conn.close()
    assert counts is not None
    print(
        f"generated {counts[0]:,} questions, {counts[1]:,} answers, {counts[2]:,} votes, {counts[3]:,} doctors"
        f" in {time.monotonic() - started:.0f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
