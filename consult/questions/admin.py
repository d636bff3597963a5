from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin
from django.http import HttpRequest

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
    raw_id_fields = ["author", "most_helpful_answer"]
    # Counters and rendered HTML belong to the services; hiding goes through moderation.
    readonly_fields = ["body_html", "answer_count", "is_hidden", "created_at", "updated_at"]
    filter_horizontal = ["tags"]
    inlines = [AnswerInline]
    list_select_related = True


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
    raw_id_fields = ["question", "doctor"]
    readonly_fields = ["body_html", "helpful_count", "is_hidden", "created_at", "updated_at"]
    inlines = [RevisionInline]
    list_select_related = ["doctor", "question"]


@admin.register(HelpfulVote)
class HelpfulVoteAdmin(_VoteAdmin):
    list_display = ["answer", "user", "created_at"]
    raw_id_fields = ["answer", "user"]
    list_select_related = ["answer", "user"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # votes only through the service, which keeps helpful_count exact
