from django.urls import path

from consult.practice import views

app_name = "practice"
urlpatterns = [
    path("headshot/", views.headshot_edit, name="headshot_edit"),
    path("headshot/remove/", views.headshot_remove, name="headshot_remove"),
    path("headshots/<int:pk>.jpg", views.headshot, name="headshot"),
]
