from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.http import HttpRequest

from . import services
from .models import Answer, AnswerRevision, HelpfulVote, Question, Tag

if TYPE_CHECKING:  # django-stubs makes these generic; Django's runtime classes are not subscriptable.
    _TagAdmin = admin.ModelAdmin[Tag]
    _QuestionAdmin = admin.ModelAdmin[Question]
    _AnswerAdmin = admin.ModelAdmin[Answer]
    _VoteAdmin = admin.ModelAdmin[HelpfulVote]
    _AnswerInline = admin.TabularInline[Answer, Question]
    _RevisionInline = admin.TabularInline[AnswerRevision, Answer]
else:
    _TagAdmin = _QuestionAdmin = _AnswerAdmin = _VoteAdmin = admin.ModelAdmin
    _AnswerInline = _RevisionInline = admin.TabularInline


@admin.register(Tag)
class TagAdmin(_TagAdmin):
    list_display = ["name", "slug", "question_count"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["question_count"]


class AnswerInline(_AnswerInline):
    model = Answer
    fields = ["headline", "doctor", "helpful_count", "is_hidden", "created_at"]
    readonly_fields = ["headline", "doctor", "helpful_count", "is_hidden", "created_at"]
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(Question)
class QuestionAdmin(_QuestionAdmin):
    list_display = ["title", "display_name", "answer_count", "is_hidden", "created_at"]
    list_filter = ["is_hidden", "tags"]
    search_fields = ["title", "display_name", "author__email"]
    date_hierarchy = "created_at"
    # Staff may correct the text; the edit goes through services.question_update, which re-renders the
    # HTML and refreshes every page that shows the question. Everything else belongs to other services
    # (counters, most helpful, related questions) or to moderation (hiding).
    fields = ["title", "body", "display_name", "author", "slug", "tags", "answer_count", "is_hidden",
              "most_helpful_answer", "created_at", "updated_at"]
    readonly_fields = ["author", "slug", "tags", "answer_count", "is_hidden", "most_helpful_answer",
                       "created_at", "updated_at"]
    inlines = [AnswerInline]
    list_select_related = True

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # patients ask through the site

    def save_model(self, request: HttpRequest, obj: Question, form: Any, change: bool) -> None:
        data = form.cleaned_data
        services.question_update(question=obj, title=data["title"], body=data["body"], display_name=data["display_name"])


class RevisionInline(_RevisionInline):
    model = AnswerRevision
    fields = ["created_at", "edited_by", "headline", "body"]
    readonly_fields = ["created_at", "edited_by", "headline", "body"]
    extra = 0
    can_delete = False


@admin.register(Answer)
class AnswerAdmin(_AnswerAdmin):
    list_display = ["headline", "doctor", "question", "helpful_count", "is_hidden", "created_at"]
    list_filter = ["is_hidden", "doctor__specialty"]
    search_fields = ["headline", "doctor__full_name", "question__title"]
    # Staff may correct the text through services.answer_update (kept as a revision, HTML re-rendered,
    # pages refreshed); counters and hiding belong to the services and to moderation.
    fields = ["headline", "body", "question", "doctor", "helpful_count", "is_hidden", "created_at", "updated_at"]
    readonly_fields = ["question", "doctor", "helpful_count", "is_hidden", "created_at", "updated_at"]
    inlines = [RevisionInline]
    list_select_related = ["doctor", "question"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # doctors answer through the site

    def save_model(self, request: HttpRequest, obj: Answer, form: Any, change: bool) -> None:
        data = form.cleaned_data
        original = Answer.objects.select_related("doctor", "question").get(pk=obj.pk)
        services.answer_update(
            answer=original, editor=request.user, headline=data["headline"], body=data["body"], as_staff=True  # type: ignore[arg-type]
        )


@admin.register(HelpfulVote)
class HelpfulVoteAdmin(_VoteAdmin):
    list_display = ["answer", "user", "created_at"]
    raw_id_fields = ["answer", "user"]
    list_select_related = ["answer", "user"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # votes only through the service, which keeps helpful_count exact
