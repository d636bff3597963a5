"""Load synthetic demo content: doctors, patients, tagged questions, answers and helpful votes.

Idempotent: a second run changes nothing (``--reset`` wipes the demo content and loads it again).
Everything is invented. Rows are written with bulk_create and the counters are then computed by the
recount service (consult.questions.recount), so a load takes a few seconds on SQLite.
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from consult.accounts.models import Role, User
from consult.core.markdown import render
from consult.demo import content
from consult.demo.content import DEMO_PASSWORD
from consult.doctors.models import DoctorProfile, Specialty, VerificationStatus
from consult.notifications import work as notification_work
from consult.notifications.models import EmailState, Notification
from consult.practice.models import GalleryPair
from consult.practice.services import gallery_pair_remove
from consult.questions.models import Answer, Follow, HelpfulVote, Question, Tag
from consult.questions.recount import recount_all
from consult.questions.services import related_refresh
from consult.reviews.models import Review, Treatment, WorthIt
from consult.reviews.services import treatment_create, treatment_update

DEMO_DOMAIN = "demo.consult.example"
SEED = 20261125
N_DOCTORS = 30
N_PENDING = 2
N_PATIENTS = 60
N_QUESTIONS = 200

FIXED_ACCOUNTS = [
    # email, role, display name, is_staff, is_superuser
    ("patient@example.com", Role.PATIENT, "Robin (demo patient)", False, False),
    ("doctor@example.com", Role.DOCTOR, "Dr. Morgan Ellery", False, False),
    ("moderator@example.com", Role.MODERATOR, "Casey (moderator)", False, False),
    ("staff@example.com", Role.STAFF, "Staff", True, True),
]

NEXT_STEPS = "What I would do next:\n\n- See a facial nerve specialist\n- Keep dated photos\n- Protect the eye"

# Specialties cycle in this order so every one has several doctors.
SPECIALTY_ORDER = [
    Specialty.FACIAL_PLASTIC,
    Specialty.OCULOPLASTIC,
    Specialty.DERMATOLOGY,
    Specialty.ENT_FACIAL_NERVE,
    Specialty.PLASTIC,
    Specialty.NEUROLOGY,
    Specialty.PHYSIATRY,
    Specialty.FACIAL_PLASTIC,
    Specialty.ENT_FACIAL_NERVE,
]


class Command(BaseCommand):
    help = "Load synthetic demo content (idempotent). --reset wipes the demo content first."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--reset", action="store_true", help="Delete the demo content, then load it again.")

    def handle(self, *args: Any, reset: bool = False, **options: Any) -> None:
        started = timezone.now()
        with transaction.atomic():
            if reset:
                self._wipe()
            self._fixed_accounts()
            if User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}").exists():
                self.stdout.write("Demo content already loaded; nothing to do (use --reset to reload).")
                counts = None
            else:
                counts = self._load()
        if counts is not None:
            seconds = (timezone.now() - started).total_seconds()
            self.stdout.write(
                self.style.SUCCESS(
                    "Loaded demo content in {:.1f}s: {doctors} doctors, {questions} questions, "
                    "{answers} answers, {votes} helpful votes, {tags} tags, {reviews} reviews.".format(seconds, **counts)
                )
            )
        # Demo patients with measured photo sets (consult.photos; composite faces of nobody).
        call_command("load_demo_photos", reset=reset, stdout=self.stdout)
        call_command("load_demo_progress", reset=reset, stdout=self.stdout)
        # The demo doctor's before/after gallery (Robin's composite photos) and a consultation request.
        call_command("load_demo_practice", reset=reset, stdout=self.stdout)
        # The content above went in partly around the services (bulk rows): index it all at once.
        call_command("search_rebuild", stdout=self.stdout)

    # -- steps ------------------------------------------------------------------------------------

    def _wipe(self) -> None:
        demo_users = User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}")
        fixed = User.objects.filter(email__in=[a[0] for a in FIXED_ACCOUNTS])
        # Content first (cascades answers, votes, revisions), then the accounts themselves.
        Question.objects.filter(author__in=[*demo_users.values_list("pk", flat=True), *fixed.values_list("pk", flat=True)]).delete()
        Answer.objects.filter(doctor__user__in=demo_users).delete()
        HelpfulVote.objects.filter(user__in=demo_users).delete()
        Review.objects.filter(author__in=[*demo_users, *fixed]).delete()
        Review.objects.filter(doctor__user__in=demo_users).delete()
        # Gallery pairs point to the treatments (PROTECT): their rows and files go first.
        for pair in GalleryPair.objects.filter(doctor__user__in=[*demo_users, *fixed]).select_related("doctor__user"):
            gallery_pair_remove(pair=pair, removed_by=pair.doctor.user)
        demo_users.delete()
        Treatment.objects.filter(slug__in=[t["slug"] for t in content.TREATMENTS], reviews__isnull=True).delete()
        Tag.objects.filter(slug__in=[t[0] for t in content.TAGS]).delete()
        recount_all()  # the fixed accounts' counters no longer count the deleted content
        self.stdout.write("Demo content removed.")

    def _fixed_accounts(self) -> None:
        password = make_password(DEMO_PASSWORD)
        for email, role, name, is_staff, is_superuser in FIXED_ACCOUNTS:
            _user, created = User.objects.get_or_create(
                email=email,
                defaults={
                    "role": role,
                    "display_name": name,
                    "is_staff": is_staff,
                    "is_superuser": is_superuser,
                    "password": password,
                },
            )
            if created:
                self.stdout.write(f"Created demo sign-in {email}")
        doctor_user = User.objects.get(email="doctor@example.com")
        DoctorProfile.objects.get_or_create(
            user=doctor_user,
            defaults={
                "slug": "morgan-ellery",
                "full_name": "Morgan Ellery",
                "credentials": "MD, FACS",
                "specialty": Specialty.FACIAL_PLASTIC,
                "city": "Portland",
                "state": "OR",
                "bio": (
                    "Facial plastic and reconstructive surgeon in Portland. Most of the patients I see come years "
                    "after a facial palsy, for synkinesis, a tight or uneven smile, or an eye that will not close. "
                    "I plan treatment with a facial therapist and measure both sides at every visit."
                ),
                "board_certification": "American Board of Facial Plastic and Reconstructive Surgery",
                "practice_name": "Ellery Facial Nerve Center",
                "practice_address": "410 Alder Street, Suite 200",
                "practice_phone": "+1 555 0100 2000",
                "languages": "English, Spanish",
                "license_number": "DEMO-000001",
                "license_state": "OR",
                "status": VerificationStatus.VERIFIED,
                "verified_at": timezone.now(),
            },
        )

    def _load(self) -> dict[str, int]:
        rng = random.Random(SEED)
        now = timezone.now()
        password = make_password(DEMO_PASSWORD)

        tags = {
            slug: Tag(slug=slug, name=name, description=description)
            for slug, name, description in content.TAGS
            if not Tag.objects.filter(slug=slug).exists()
        }
        Tag.objects.bulk_create(tags.values())
        tags = {t.slug: t for t in Tag.objects.filter(slug__in=[t[0] for t in content.TAGS])}

        # Doctors: 30 verified (plus the fixed demo doctor) and 2 pending review.
        names = list(zip(content.FIRST_NAMES, content.LAST_NAMES, strict=True))
        doctor_users = [
            User(
                email=f"doctor{i + 1:02d}@{DEMO_DOMAIN}",
                role=Role.DOCTOR,
                display_name=f"Dr. {first} {last}",
                password=password,
            )
            for i, (first, last) in enumerate(names[: N_DOCTORS + N_PENDING])
        ]
        User.objects.bulk_create(doctor_users)
        doctor_users = list(User.objects.filter(email__startswith="doctor", email__endswith=DEMO_DOMAIN).order_by("email"))
        profiles = []
        for i, (user, (first, last)) in enumerate(zip(doctor_users, names, strict=False)):
            pending = i >= N_DOCTORS
            city, state = content.PLACES[i % len(content.PLACES)]
            specialty = SPECIALTY_ORDER[i % len(SPECIALTY_ORDER)]
            # The draws the hand-set ratings used to take (ratings now come from reviews) are kept, in their
            # order, so the questions, answers and votes drawn after them stay those of earlier demos.
            old_draws = not (pending or i % 5 == 4)
            if old_draws:
                rng.randint(3, 60)
            verified_at = None if pending else now - timedelta(days=rng.randint(30, 700))
            if old_draws:
                rng.uniform(3.6, 5.0)
            fields = {
                "credentials": content.CREDENTIALS[specialty][(i // len(SPECIALTY_ORDER)) % len(content.CREDENTIALS[specialty])],
                "country": "US",
                "city": city,
                "state": state,
                "board_certification": content.BOARDS[specialty],
                "practice_address": f"{100 + 37 * i} {content.STREETS[i % len(content.STREETS)]} Street, Suite {1 + i % 9}00",
                "practice_phone": f"+1 555 01{i:02d} {1000 + 7 * i}",
                "languages": content.LANGUAGE_SETS[i % len(content.LANGUAGE_SETS)],
                "license_number": f"DEMO-{i + 2:06d}",
                "license_state": state,
                "registration_country": "US",
                "registration_number": "",
            }
            abroad = content.INTERNATIONAL.get(i)
            if abroad:  # outside the US: no state licence, the national register's number instead
                fields.update(abroad, license_number="")
            profiles.append(
                DoctorProfile(
                    user=user,
                    slug=slugify(f"{first} {last}"),
                    full_name=f"{first} {last}",
                    specialty=specialty,
                    bio=self._bio(i, specialty, fields["city"]),
                    practice_name=f"{last} {content.PRACTICE_WORDS[i % len(content.PRACTICE_WORDS)]}",
                    status=VerificationStatus.PENDING if pending else VerificationStatus.VERIFIED,
                    verified_at=verified_at,
                    **fields,
                )
            )
        DoctorProfile.objects.bulk_create(profiles)
        verified = list(
            DoctorProfile.objects.filter(status=VerificationStatus.VERIFIED).select_related("user").order_by("pk")
        )

        patients = [
            User(
                email=f"patient{i + 1:02d}@{DEMO_DOMAIN}",
                role=Role.PATIENT,
                display_name=content.PATIENT_NAMES[i % len(content.PATIENT_NAMES)],
                password=password,
            )
            for i in range(N_PATIENTS)
        ]
        User.objects.bulk_create(patients)
        patients = list(User.objects.filter(email__startswith="patient", email__endswith=DEMO_DOMAIN).order_by("email"))
        askers = [*patients, User.objects.get(email="patient@example.com")]

        # Questions, newest last in creation order so created_at spreads over the past year.
        questions: list[Question] = []
        question_tags: list[tuple[int, list[str]]] = []
        seen_titles: set[str] = set()
        while len(questions) < N_QUESTIONS:
            topic = rng.choice(content.TOPICS)
            fill: dict[str, Any] = {
                "side": rng.choice(content.SIDES),
                "duration": rng.choice(content.DURATIONS),
                "age": rng.randint(19, 78),
            }
            title = rng.choice(topic["titles"]).format(**fill)
            if title in seen_titles:
                continue
            seen_titles.add(title)
            paragraphs = rng.sample(topic["bodies"], k=min(len(topic["bodies"]), rng.randint(2, 4)))
            body = "\n\n".join(p.format(**fill) for p in paragraphs)
            author = rng.choice(askers)
            extra_tags = rng.sample([t[0] for t in content.TAGS], k=rng.choice([0, 0, 1]))
            tag_slugs = list(dict.fromkeys([*topic["tags"], *extra_tags]))[:5]
            questions.append(
                Question(
                    author=author,
                    title=title,
                    slug=slugify(title)[:200],
                    body=body,
                    body_html=render(body),
                    display_name=author.display_name or "Anonymous",
                    age=fill["age"] if rng.random() < 0.7 else None,
                    sex=rng.choice(["female", "male", "", "female", "other"]) if rng.random() < 0.8 else "",
                )
            )
            question_tags.append((len(questions) - 1, tag_slugs))
            questions[-1]._demo_topic = topic  # type: ignore[attr-defined]
        Question.objects.bulk_create(questions)
        # auto_now_add ignores given values on insert, so dates are set with one bulk_update.
        for i, question in enumerate(questions):
            minutes = (N_QUESTIONS - i) * rng.randint(1500, 2700)
            question.created_at = now - timedelta(minutes=minutes)
            question.updated_at = question.created_at
        Through = Question.tags.through
        Through.objects.bulk_create(
            [Through(question_id=questions[i].pk, tag_id=tags[s].pk) for i, slugs in question_tags for s in slugs]
        )

        # Answers: 0-6 per question, by distinct verified doctors, with helpful votes.
        answers: list[Answer] = []
        answered_at: list[Any] = []
        planned_votes: list[list[User]] = []
        voters = [*patients, *(p.user for p in verified)]
        for question in questions:
            topic = question._demo_topic  # type: ignore[attr-defined]
            n = rng.choices(range(7), weights=[14, 22, 22, 16, 12, 8, 6])[0]
            headlines = rng.sample(topic["headlines"], k=len(topic["headlines"]))
            # Within a thread no headline and no paragraph is used twice (a real thread does not repeat
            # itself): an answer keeps the drawn paragraphs nobody used yet, else the first unused one, and
            # there are no more answers once headlines or paragraphs run out. Every draw is still made, in the
            # same order, so the rest of the demo is as before.
            used: set[str] = set()
            kept = 0
            for doctor in rng.sample(verified, k=n):
                paragraphs = rng.sample(topic["paragraphs"], k=min(len(topic["paragraphs"]), rng.randint(2, 3)))
                next_steps = rng.random() < 0.3
                closing = rng.choice(content.CLOSINGS)
                votes = [v for v in rng.sample(voters, k=rng.choice([0, 1, 2, 3, 5, 8, 13, 21])) if v.pk != doctor.user_id]
                delay = rng.randint(0, 40)
                fresh = [p for p in paragraphs if p not in used]
                fresh = fresh or [p for p in topic["paragraphs"] if p not in used][:1]
                if not fresh or kept >= len(headlines):
                    continue
                parts = list(fresh)
                if next_steps and NEXT_STEPS not in used:
                    parts.append(NEXT_STEPS)
                if closing not in used:
                    parts.append(closing)
                used.update(parts)
                body = "\n\n".join(parts)
                answer = Answer(
                    question=question,
                    doctor=doctor,
                    headline=headlines[kept],
                    body=body,
                    body_html=render(body),
                )
                answered_at.append(min(question.created_at + timedelta(hours=3 + 7 * kept + delay), now))
                answers.append(answer)
                planned_votes.append(votes)
                kept += 1
        Answer.objects.bulk_create(answers)
        for answer, when in zip(answers, answered_at, strict=True):
            answer.created_at = answer.updated_at = when
        Answer.objects.bulk_update(answers, ["created_at", "updated_at"], batch_size=500)
        HelpfulVote.objects.bulk_create(
            [HelpfulVote(answer=a, user=u) for a, users in zip(answers, planned_votes, strict=True) for u in users],
            batch_size=1000,
        )

        # The asker picked a most helpful answer on about a third of the answered questions.
        by_question: dict[int, list[tuple[Answer, int]]] = {}
        for answer, votes in zip(answers, planned_votes, strict=True):
            by_question.setdefault(answer.question_id, []).append((answer, len(votes)))
        for question in questions:
            candidates = by_question.get(question.pk, [])
            if candidates and rng.random() < 0.35:
                question.most_helpful_answer = max(candidates, key=lambda pair: pair[1])[0]
        Question.objects.bulk_update(questions, ["created_at", "updated_at", "most_helpful_answer"], batch_size=500)

        n_reviews = self._reviews(rng, now, tags=tags, doctors=verified, patients=askers)

        # Answer, helpful, doctor and tag counters: counted from the rows, as everywhere else; related
        # questions stored as the services store them when a thread is created or answered.
        questions.append(self._classic_case(tags=tags, doctors=verified, patients=patients, now=now))
        recount_all()
        for question in questions:
            related_refresh(question=question)
        self._inbox(questions)

        return {
            "doctors": len(verified),
            "questions": len(questions),
            "answers": len(answers),
            "votes": sum(len(v) for v in planned_votes),
            "tags": Tag.objects.count(),
            "reviews": n_reviews,
        }

    @staticmethod
    def _inbox(questions: list[Question]) -> None:
        """Askers follow their questions (as ``question_create`` makes them); the two fixed demo accounts find
        their inbox as the worker would have filled it (the answers to Robin's questions, the helpful votes on
        Dr. Ellery's answers), as past news: nothing of it is e-mailed."""
        Follow.objects.bulk_create([Follow(user_id=q.author_id, question=q) for q in questions], ignore_conflicts=True)
        for answer in Answer.objects.filter(question__author__email="patient@example.com", is_hidden=False):
            notification_work.answer_created(answer.pk)
        for answer in Answer.objects.filter(doctor__user__email="doctor@example.com", helpful_count__gt=0)[:5]:
            notification_work.votes_changed(answer.pk)
        Notification.objects.filter(user__email__in=["patient@example.com", "doctor@example.com"]).update(
            email_state=EmailState.NONE
        )

    @staticmethod
    def _classic_case(*, tags: dict[str, Tag], doctors: list[DoctorProfile], patients: list[User], now: Any) -> Question:
        """The case this product exists for (content.CLASSIC_CASE), answered by three doctors whose specialty
        fits (facial nerve, facial plastic, rehabilitation). No random draws: the rest of the demo is unchanged."""
        case = content.CLASSIC_CASE
        question = Question.objects.create(
            author=patients[7],
            title=case["title"],
            slug=slugify(case["title"])[:200],
            body=case["body"],
            body_html=render(case["body"]),
            display_name=case["display_name"],
            age=case["age"],
            sex=case["sex"],
        )
        question.tags.set([tags[slug] for slug in case["tags"]])
        asked = now - timedelta(days=9)
        Question.objects.filter(pk=question.pk).update(created_at=asked, updated_at=asked)
        wanted = [Specialty.ENT_FACIAL_NERVE, Specialty.FACIAL_PLASTIC, Specialty.PHYSIATRY]
        by_specialty = {d.specialty: d for d in reversed(doctors)}
        for hours, (specialty, (headline, body)) in enumerate(zip(wanted, case["answers"], strict=True), start=1):
            answer = Answer.objects.create(
                question=question, doctor=by_specialty[specialty], headline=headline, body=body, body_html=render(body)
            )
            when = asked + timedelta(hours=5 * hours)
            Answer.objects.filter(pk=answer.pk).update(created_at=when, updated_at=when)
        return question

    @staticmethod
    def _bio(i: int, specialty: str, city: str) -> str:
        title, focus = content.BIO_FOCUS[specialty]
        first = content.BIO_DETAILS[i % len(content.BIO_DETAILS)].format(city=city)
        second = content.BIO_DETAILS[(i + 2) % len(content.BIO_DETAILS)].format(city=city)
        return f"{title} in {city}, with a particular interest in {focus}. {first} {second}"

    def _reviews(
        self, rng: random.Random, now: Any, *, tags: dict[str, Tag], doctors: list[DoctorProfile], patients: list[User]
    ) -> int:
        """Treatment pages and patients' reviews (invented): most doctors get a few, some none ("No reviews
        yet"); the figures are computed by the recount like every other counter."""
        existing = {t.slug: t for t in Treatment.objects.filter(slug__in=[t["slug"] for t in content.TREATMENTS])}
        for spec in content.TREATMENTS:
            tag = tags.get(spec["tag"])
            tag_id = tag.pk if tag is not None else None
            name, summary, description = spec["name"], spec["summary"], spec["description"]
            if spec["slug"] in existing:
                treatment_update(treatment=existing[spec["slug"]], name=name, summary=summary,
                                 description=description, tag_id=tag_id)
            else:
                treatment_create(slug=spec["slug"], name=name, summary=summary, description=description, tag_id=tag_id)
        treatments = {t.slug: t for t in Treatment.objects.filter(slug__in=[t["slug"] for t in content.TREATMENTS])}
        costs = {t["slug"]: t["cost"] for t in content.TREATMENTS}
        robin = User.objects.get(email="patient@example.com")
        fixed_doctor = DoctorProfile.objects.get(user__email="doctor@example.com")
        reviews: dict[tuple[int, str], Review] = {}  # one per patient and treatment, per doctor
        written: list[Review] = []
        for i, doctor in enumerate([fixed_doctor, *(d for d in doctors if d.pk != fixed_doctor.pk)]):
            if i % 5 == 4:
                continue  # some doctors have no reviews yet
            fitting = [t["slug"] for t in content.TREATMENTS if doctor.specialty in t["specialties"]] or ["botox"]
            authors = rng.sample(patients, k=rng.randint(2, 9))
            if doctor == fixed_doctor:
                authors = [robin, *[a for a in authors if a != robin]]
            for author in authors:
                slug = rng.choice(fitting)
                worth = rng.choices([WorthIt.WORTH_IT, WorthIt.NOT_SURE, WorthIt.NOT_WORTH_IT], weights=[65, 22, 13])[0]
                rating = {WorthIt.WORTH_IT: rng.choice([4, 5, 5]), WorthIt.NOT_SURE: rng.choice([2, 3, 3, 4]),
                          WorthIt.NOT_WORTH_IT: rng.choice([1, 1, 2])}[worth]
                low, high = costs[slug]
                sentences = rng.sample(content.REVIEW_SENTENCES[worth.value], k=2)
                when = now - timedelta(days=rng.randint(5, 700))
                treated = (when - timedelta(days=rng.randint(14, 120))).date()
                reply = ""
                if rng.random() < 0.15:
                    reply = rng.choice(content.REVIEW_REPLIES)
                name = treatments[slug].name
                review = Review(
                    author=author,
                    doctor=doctor,
                    treatment=treatments[slug],
                    rating=rating,
                    title=rng.choice(content.REVIEW_TITLES[worth.value]),
                    body=" ".join([rng.choice(content.REVIEW_OPENINGS).format(
                        treatment=name if name == "Botox" else name[0].lower() + name[1:]), *sentences]),
                    worth_it=worth,
                    cost=50 * round(rng.randint(low, high) / 50) if rng.random() < 0.75 else None,
                    treated_on=treated if rng.random() < 0.8 else None,
                    patient_confirmed_at=when + timedelta(days=2) if rng.random() < 0.3 else None,
                    reply=reply,
                    replied_at=when + timedelta(days=3) if reply else None,
                )
                review._demo_when = when  # type: ignore[attr-defined]
                reviews.setdefault((author.pk, slug), review)
            written.extend(reviews.values())
            reviews.clear()
        Review.objects.bulk_create(written, batch_size=500)
        # auto_now_add ignores given values on insert, so dates are set with one bulk_update.
        for review in written:
            review.created_at = review._demo_when  # type: ignore[attr-defined]
        Review.objects.bulk_update(written, ["created_at"], batch_size=500)
        return len(written)
