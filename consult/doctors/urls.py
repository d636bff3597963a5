from django.urls import path

from consult.doctors import views

app_name = "doctors"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("me/", views.profile_edit, name="profile_edit"),
    path("verification/", views.verification_queue, name="verification_queue"),
    path("verification/<int:pk>/decide/", views.verification_decide, name="verification_decide"),
    path("<slug:slug>/", views.profile, name="profile"),
]
