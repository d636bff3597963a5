"""The opt-in read-replica router (config/db_router.py): safe reads to the replica, the rest to the primary."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import RequestFactory

from config import db_router
from consult.questions.models import Question


@pytest.fixture
def router():
    db_router.unpin()
    yield db_router.PrimaryReplicaRouter()
    db_router.unpin()


def test_reads_go_to_the_replica_and_writes_to_the_primary(router):
    assert router.db_for_read(Question) == "replica"
    assert router.db_for_write(Question) == "default"


def test_after_a_write_the_request_reads_its_own_writes_from_the_primary(router):
    router.db_for_write(Question)
    assert router.db_for_read(Question) == "default"


@pytest.mark.django_db(transaction=True)
def test_reads_inside_a_transaction_stay_on_the_primary(router):
    with transaction.atomic():
        assert router.db_for_read(Question) == "default"
    assert router.db_for_read(Question) == "replica"


def test_migrations_run_on_the_primary_only(router):
    assert router.allow_migrate("default", "questions")
    assert not router.allow_migrate("replica", "questions")


def test_the_middleware_unpins_each_get_and_pins_each_post(router):
    seen = {}

    def view(request):
        seen[request.method] = router.db_for_read(Question)
        from django.http import HttpResponse

        return HttpResponse()

    middleware = db_router.ReplicaPinMiddleware(view)
    router.db_for_write(Question)  # a previous request wrote
    middleware(RequestFactory().get("/"))
    middleware(RequestFactory().post("/"))
    assert seen == {"GET": "replica", "POST": "default"}
    assert router.db_for_read(Question) == "replica"  # unpinned afterwards
