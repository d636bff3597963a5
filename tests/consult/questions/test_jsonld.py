import json
import re

import pytest

from consult.questions.models import Question
from tests.factories import AnswerFactory, QuestionFactory

pytestmark = pytest.mark.django_db

BLOCK = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def _block(response):
    """The page's one JSON-LD data block, as text."""
    assert response.status_code == 200
    blocks = BLOCK.findall(response.content.decode())
    assert len(blocks) == 1
    return blocks[0]


def jsonld(client, question):
    raw = _block(client.get(question.get_absolute_url()))
    return json.loads(raw), raw


def test_qapage_has_googles_required_and_recommended_fields(client):
    question = QuestionFactory()
    best = AnswerFactory(question=question, helpful_count=4)
    other = AnswerFactory(question=question, helpful_count=2)
    Question.objects.filter(pk=question.pk).update(most_helpful_answer=best, answer_count=2)
    data, _ = jsonld(client, question)
    assert data["@context"] == "https://schema.org" and data["@type"] == "QAPage"
    q = data["mainEntity"]
    assert q["@type"] == "Question"
    assert q["name"] == question.title
    assert q["answerCount"] == 2
    assert q["text"] and q["dateCreated"] and q["author"] == {"@type": "Person", "name": question.display_name}
    accepted = q["acceptedAnswer"]
    assert accepted["upvoteCount"] == 4
    assert accepted["url"].endswith(f"#answer-{best.pk}") and accepted["url"].startswith("http://testserver/")
    assert accepted["author"]["@type"] == "Person"
    assert accepted["author"]["name"] == best.doctor.display_name
    assert accepted["author"]["url"].endswith(f"/doctors/{best.doctor.slug}/")
    assert accepted["text"] and accepted["dateCreated"]
    assert [a["url"].split("#")[1] for a in q["suggestedAnswer"]] == [f"answer-{other.pk}"]


def test_unanswered_question_has_no_answer_entries(client):
    data, _ = jsonld(client, QuestionFactory())
    assert data["mainEntity"]["answerCount"] == 0
    assert "acceptedAnswer" not in data["mainEntity"] and "suggestedAnswer" not in data["mainEntity"]


def test_hostile_text_cannot_break_out_of_the_data_block(client):
    question = QuestionFactory(title="</script><script>alert(1)</script> & <b>", body_html="<p>a</p>")
    data, raw = jsonld(client, question)
    assert "<" not in raw and ">" not in raw and "&" not in raw.replace("\\u0026", "")
    assert data["mainEntity"]["name"] == "</script><script>alert(1)</script> & <b>"


def test_hidden_answers_are_not_in_the_structured_data_even_for_moderators(client):
    from tests.factories import ModeratorFactory

    question = QuestionFactory()
    AnswerFactory(question=question)
    AnswerFactory(question=question, is_hidden=True)
    client.force_login(ModeratorFactory())
    data, _ = jsonld(client, question)
    assert data["mainEntity"]["answerCount"] == 1
    assert len(data["mainEntity"]["suggestedAnswer"]) == 1


def _data(response):
    return json.loads(_block(response))


def test_remembered_json_ld_follows_votes_edits_and_the_host(client):
    from consult.questions import services
    from tests.consult.scale import forget_cached_pages
    from tests.factories import UserFactory

    question = QuestionFactory()
    answer = AnswerFactory(question=question, headline="First take")
    url = question.get_absolute_url()
    client.force_login(UserFactory())  # signed in: every view renders (no whole-page cache)
    first = _data(client.get(url))
    assert _data(client.get(url)) == first
    services.vote_toggle(user=UserFactory(), answer=answer)
    assert _data(client.get(url))["mainEntity"]["suggestedAnswer"][0]["upvoteCount"] == 1
    services.answer_update(answer=answer, editor=answer.doctor.user, headline="Second take", body="Changed")
    assert _data(client.get(url))["mainEntity"]["suggestedAnswer"][0]["text"].startswith("Second take")
    forget_cached_pages()
    other_host = _data(client.get(url, HTTP_HOST="localhost"))
    assert other_host["mainEntity"]["url"].startswith("http://localhost/")
