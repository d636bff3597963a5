"""Structured data and crawler hints against the search engines' published rules (issue 15), cited in docs/seo.md:

- QAPage: Google's required and recommended properties,
  https://developers.google.com/search/docs/appearance/structured-data/qapage
- Physician with AggregateRating: Google's review-snippet rules,
  https://developers.google.com/search/docs/appearance/structured-data/review-snippet
- canonical links on every list page; noindex on threads under an open report.
"""

from __future__ import annotations

import json
import re
from datetime import datetime

import pytest

from consult.moderation import services as moderation
from consult.questions import services
from tests.consult.reviews.conftest import make_treatment, write_review
from tests.factories import DoctorProfileFactory, ModeratorFactory, QuestionFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db

# Google's QAPage documentation, property by property ("required" must be there for the rich result;
# "recommended" improves it). Nested names are paths.
QUESTION_REQUIRED = ("name", "answerCount")
QUESTION_ONE_OF = ("acceptedAnswer", "suggestedAnswer")
QUESTION_RECOMMENDED = ("text", "author.name", "datePublished", "url")
ANSWER_REQUIRED = ("text",)
ANSWER_RECOMMENDED = ("author.name", "author.url", "datePublished", "upvoteCount", "url")


def _jsonld(html: str) -> list[dict]:
    return [json.loads(block) for block in
            re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, flags=re.S)]


def _get(data: dict, path: str):
    for part in path.split("."):
        data = data[part]
    return data


def _iso(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    assert parsed.tzinfo is not None, f"{value} has no time zone"
    return parsed


def _answered_thread():
    tag = TagFactory()
    asker = UserFactory()
    question = services.question_create(author=asker, title="Will the droop at my mouth corner improve?",
                                        body="Four months after Bell's palsy the left corner still droops.",
                                        tags=[tag], display_name="Sam")
    doctors = [DoctorProfileFactory() for _ in range(3)]
    answers = [services.answer_create(doctor=d, question=question, headline=f"It often does ({n})",
                                      body="Most people recover most movement within six months.")
               for n, d in enumerate(doctors)]
    services.vote_toggle(user=UserFactory(), answer=answers[1])
    services.mark_most_helpful(user=asker, answer=answers[2])
    services.answer_set_hidden(answer=answers[0], is_hidden=True)
    return question, answers


def test_qapage_has_googles_required_and_recommended_properties(client):
    question, answers = _answered_thread()
    html = client.get(question.get_absolute_url()).content.decode()
    (page,) = [d for d in _jsonld(html) if d.get("@type") == "QAPage"]
    assert page["@context"] == "https://schema.org"
    entity = page["mainEntity"]
    assert entity["@type"] == "Question"
    for prop in (*QUESTION_REQUIRED, *QUESTION_RECOMMENDED):
        assert _get(entity, prop) not in ("", None), prop
    assert any(k in entity for k in QUESTION_ONE_OF)
    assert entity["name"] == question.title
    _iso(entity["datePublished"])
    accepted = entity["acceptedAnswer"]
    suggested = entity["suggestedAnswer"]
    # Only what every reader sees: the hidden answer is left out, and answerCount counts what is marked up.
    assert entity["answerCount"] == 1 + len(suggested) == 2
    for answer in [accepted, *suggested]:
        assert answer["@type"] == "Answer"
        for prop in (*ANSWER_REQUIRED, *ANSWER_RECOMMENDED):
            assert _get(answer, prop) not in ("", None), prop
        assert isinstance(answer["upvoteCount"], int)
        assert answer["url"].startswith("http://testserver/questions/") and "#answer-" in answer["url"]
        assert answer["author"]["url"].startswith("http://testserver/doctors/")
        _iso(answer["datePublished"])
    assert accepted["url"].endswith(f"#answer-{answers[2].pk}")  # the asker's most helpful answer
    assert [a["upvoteCount"] for a in suggested] == [1]
    assert f"#answer-{answers[0].pk}" not in html.split('type="application/ld+json">')[1].split("</script>")[0]


def test_an_unanswered_thread_is_noindex_so_its_answerless_qapage_is_never_a_rich_result(client):
    question = QuestionFactory()
    html = client.get(question.get_absolute_url()).content.decode()
    assert '<meta name="robots" content="noindex">' in html
    (page,) = [d for d in _jsonld(html) if d.get("@type") == "QAPage"]
    assert page["mainEntity"]["answerCount"] == 0


def test_a_thread_under_an_open_report_is_noindex_until_a_moderator_has_looked(client):
    question, answers = _answered_thread()
    url = question.get_absolute_url()
    assert 'content="noindex"' not in client.get(url).content.decode()
    moderation.flag_create(reporter=UserFactory(), answer=answers[1], reason="unsafe")
    assert '<meta name="robots" content="noindex">' in client.get(url).content.decode()  # the cache follows
    moderation.flags_dismiss(moderator=ModeratorFactory(), answer=answers[1])
    assert 'content="noindex"' not in client.get(url).content.decode()
    moderation.flag_create(reporter=UserFactory(), question=question, reason="spam")
    assert '<meta name="robots" content="noindex">' in client.get(url).content.decode()


def test_physician_aggregate_rating_follows_the_review_snippet_rules(client):
    """Google's review-snippet rules: ratingValue plus reviewCount (or ratingCount), best/worst given when not
    5/1, the rated item the page's own subject (nested in it), ratings sourced from users and visible on the
    page, none for self-serving reviews (an entity's reviews of itself on a site it controls). Consult's
    reviews are patients' (the doctor cannot edit or remove them), shown on the profile."""
    doctor = DoctorProfileFactory()
    url = f"/doctors/{doctor.slug}/"
    (none_yet,) = [d for d in _jsonld(client.get(url).content.decode()) if d.get("@type") == "Physician"]
    assert "aggregateRating" not in none_yet  # no reviews: no rating at all (never a made-up one)
    treatment = make_treatment()
    write_review(doctor=doctor, treatment=treatment, rating=5)
    write_review(doctor=doctor, treatment=treatment, rating=2)
    hidden = write_review(doctor=doctor, treatment=treatment, rating=1)
    from consult.reviews.services import review_set_hidden

    review_set_hidden(review=hidden, moderator=ModeratorFactory(), is_hidden=True, reason="Not about this doctor")
    html = client.get(url).content.decode()
    (physician,) = [d for d in _jsonld(html) if d.get("@type") == "Physician"]
    rating = physician["aggregateRating"]
    assert rating["@type"] == "AggregateRating" and "itemReviewed" not in rating  # nested: the physician
    assert rating["reviewCount"] == 2  # visible reviews only, the hidden one left out
    assert float(rating["ratingValue"]) == 3.5
    assert (rating["bestRating"], rating["worstRating"]) == (5, 1)
    assert physician["name"] and physician["url"] == f"http://testserver{url}"
    assert len(re.findall(r'<article class="review" id="review-\d+"', html)) == 2  # the rated reviews, on the page


def test_every_list_page_names_one_canonical_address(client):
    tag = TagFactory(slug="synkinesis")
    for _ in range(25):
        QuestionFactory().tags.set([tag])
    cases = {
        "/": "http://testserver/",
        "/?utm_source=newsletter": "http://testserver/",
        "/unanswered/": "http://testserver/unanswered/",
        "/tags/synkinesis/": "http://testserver/tags/synkinesis/",
        "/doctors/?sort=rating&state=IL": "http://testserver/doctors/?state=IL",
        "/doctors/?page=1&specialty=": "http://testserver/doctors/",
        "/treatments/": "http://testserver/treatments/",
    }
    for path, canonical in cases.items():
        html = client.get(path).content.decode()
        assert html.count('rel="canonical"') == 1, path
        assert f'<link rel="canonical" href="{canonical}">' in html, (path, re.findall(r'rel="canonical" href="[^"]*"', html))
    # A later page of a list names itself (its own cursor), and is not indexed.
    after = re.search(r'href="/\?after=([^"&]+)"', client.get("/").content.decode())
    assert after
    html = client.get(f"/?after={after.group(1)}&utm_campaign=x").content.decode()
    assert f'<link rel="canonical" href="http://testserver/?after={after.group(1)}">' in html
    assert '<meta name="robots" content="noindex, follow">' in html


def test_text_with_ampersands_and_angle_brackets_reads_as_typed_everywhere_it_is_copied(client):
    """The sanitised body holds "&amp;" and "&lt;"; JSON-LD, the meta description and the API must show the
    characters the patient typed, escaped once by whatever writes them (not "&amp;amp;" or a literal "&lt;")."""
    question = services.question_create(author=UserFactory(), title="Botox & filler together?",
                                        body="Is Botox & filler on the same day safe at < 20 units?",
                                        tags=[TagFactory()], display_name="Sam")
    services.answer_create(doctor=DoctorProfileFactory(), question=question, headline="Usually, yes",
                           body="Filler & toxin are often combined; doses < 20 units are small.")
    html = client.get(question.get_absolute_url()).content.decode()
    (page,) = [d for d in _jsonld(html) if d.get("@type") == "QAPage"]
    assert page["mainEntity"]["text"] == "Is Botox & filler on the same day safe at < 20 units?"
    assert page["mainEntity"]["suggestedAnswer"][0]["text"].endswith("Filler & toxin are often combined; doses < 20 units are small.")
    (description,) = re.findall(r'<meta name="description" content="([^"]*)"', html)
    assert description == "Is Botox &amp; filler on the same day safe at &lt; 20 units?"
    api = client.get(f"/api/v1/questions/{question.pk}")
    assert api.status_code == 200, api.content
    assert api.json()["body_text"] == "Is Botox & filler on the same day safe at < 20 units?"
