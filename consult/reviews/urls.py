from django.urls import path

from consult.reviews import views

app_name = "reviews"
urlpatterns = [
    path("reviews/new/<slug:slug>/", views.review_write, name="write"),
    path("reviews/<int:pk>/edit/", views.review_edit, name="edit"),
    path("reviews/<int:pk>/reply/", views.review_reply, name="reply"),
    path("reviews/<int:pk>/confirm/", views.review_confirm, name="confirm"),
    path("treatments/", views.treatment_list, name="treatments"),
    path("treatments/<slug:slug>/", views.treatment_detail, name="treatment"),
]
