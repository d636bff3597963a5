from django.urls import path

from consult.moderation import views

app_name = "moderation"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("flag/<str:kind>/<int:pk>/", views.flag, name="flag"),
    path("<str:kind>/<int:pk>/<str:action>/", views.act, name="act"),
]
