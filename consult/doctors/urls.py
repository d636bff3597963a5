from django.urls import path

from consult.doctors import views

app_name = "doctors"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("me/", views.profile_edit, name="profile_edit"),
    path("verification/", views.verification_queue, name="verification_queue"),
    path("verification/<int:pk>/decide/", views.verification_decide, name="verification_decide"),
    path("me/licence/", views.licence_upload, name="licence_upload"),
    path("me/licence/<int:pk>/remove/", views.licence_remove, name="licence_remove"),
    path("verification/licence/<int:pk>/", views.licence_document, name="licence_document"),
    path("<slug:slug>/", views.profile, name="profile"),
]
