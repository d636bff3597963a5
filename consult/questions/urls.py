from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "questions"
urlpatterns = [
    path("", views.question_list, name="list"),
    path("unanswered/", views.unanswered_list, name="unanswered"),
    path("tags/<slug:slug>/", views.tag_detail, name="tag"),
    # /questions/ is where people expect the list (breadcrumbs say "Questions"): one canonical address, "/"
    path("questions/", RedirectView.as_view(pattern_name="questions:list", permanent=True), name="list_alias"),
    path("questions/ask/", views.ask, name="ask"),
    path("questions/<int:pk>/", views.detail, name="detail_short"),
    # answer_create first: "answers" would otherwise be read as a question slug.
    path("questions/<int:pk>/answers/", views.answer_create, name="answer_create"),
    path("questions/<int:pk>/follow/", views.follow, name="follow"),
    path("questions/<int:pk>/updates/", views.update_create, name="update_create"),
    path("questions/<int:pk>/<slug:slug>/", views.detail, name="detail"),
    path("me/questions/", views.my_questions, name="mine"),
    path("me/answers/", views.my_answers, name="my_answers"),
    path("answers/<int:pk>/edit/", views.answer_edit, name="answer_edit"),
    path("answers/<int:pk>/helpful/", views.vote, name="vote"),
    path("answers/<int:pk>/most-helpful/", views.most_helpful, name="most_helpful"),
    path("markdown/preview/", views.markdown_preview, name="markdown_preview"),
]
