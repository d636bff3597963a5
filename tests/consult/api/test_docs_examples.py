"""docs/api.md's examples are true: every ``sh`` block of the file runs, in order, in one ``bash`` with the real
``curl`` against a live server with a small seeded site; after each ``# expect NNN`` line, the status of the
``curl`` just before it must be NNN, and no command may fail."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from consult.accounts.tokens import token_create
from consult.questions import services
from tests.consult.reviews.conftest import make_treatment
from tests.factories import DoctorProfileFactory, TagFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True)]

DOC = Path(__file__).resolve().parents[3] / "docs" / "api.md"
EXPECT = re.compile(r"^# expect (\d{3})$")
# Writes each curl's status on a line of its own to fd 3 (curl's %{stderr} write-out), bodies go where the
# command sends them.
PRELUDE = """set -euo pipefail
exec 3>>"$STATUS_FILE"
curl() { command curl -sS --max-time 20 -w '%{stderr}STATUS %{http_code}\\n' "$@" 2>&3; }
"""


def blocks(text: str) -> list[str]:
    return re.findall(r"```sh\n(.*?)```", text, flags=re.S)


def script(text: str) -> str:
    lines = [PRELUDE]
    for block in blocks(text):
        for line in block.splitlines():
            match = EXPECT.match(line.strip())
            lines.append(f'echo "EXPECT {match.group(1)}" >&3' if match else line)
    return "\n".join(lines) + "\n"


def seed() -> tuple[str, str]:
    tag = TagFactory(slug="bells-palsy", name="Bell's palsy")
    TagFactory(slug="botox", name="Botox")
    make_treatment(slug="botox", name="Botox")
    make_treatment(slug="thread-lift", name="Thread lift")
    patient = UserFactory(display_name="Robin")
    doctor = DoctorProfileFactory(slug="dr-vera-example")
    other = UserFactory()
    for n in range(3):
        question = services.question_create(author=other, title=f"Synkinesis after Bell's palsy, question {n}",
                                            body="My eye closes a little when I smile, months after the palsy.",
                                            tags=[tag], display_name="Sam")
        services.answer_create(doctor=doctor, question=question, headline="Retraining helps most people",
                               body="Facial retraining with a therapist helps; Botox can calm the eye.")
    return token_create(user=patient, name="docs").secret, token_create(user=doctor.user, name="docs").secret


@pytest.mark.skipif(shutil.which("curl") is None, reason="needs curl")
def test_every_documented_example_runs_and_answers_as_documented(live_server, tmp_path):
    token, doctor_token = seed()
    text = DOC.read_text()
    assert len(blocks(text)) >= 10
    status_file = tmp_path / "statuses"
    result = subprocess.run(
        ["bash", "-c", script(text)], capture_output=True, text=True, timeout=300,
        env={"PATH": "/usr/bin:/bin:/usr/local/bin", "BASE": live_server.url, "TOKEN": token,
             "DOCTOR_TOKEN": doctor_token, "STATUS_FILE": str(status_file)},
    )
    assert result.returncode == 0, f"stdout:\n{result.stdout[-3000:]}\nstderr:\n{result.stderr[-3000:]}"
    checked = 0
    last = None
    for line in status_file.read_text().splitlines():
        kind, _, value = line.partition(" ")
        if kind == "STATUS":
            last = value
        elif kind == "EXPECT":
            assert last == value, f"expected {value}, got {last} (check #{checked + 1}); output:\n{result.stdout[-2000:]}"
            checked += 1
            last = None
    assert checked == sum(bool(EXPECT.match(line.strip())) for block in blocks(text) for line in block.splitlines())
    assert all(value != "500" for kind, _, value in (ln.partition(" ") for ln in status_file.read_text().splitlines()))
