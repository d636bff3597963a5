from django.urls import path

from . import views

app_name = "progress"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("treatments/", views.treatment_add, name="treatment_add"),
    path("treatments/<int:pk>/delete/", views.treatment_remove, name="treatment_remove"),
    path("questionnaires/<slug:slug>/", views.outcome_new, name="outcome_new"),
    path("questionnaires/answers/<int:pk>/delete/", views.outcome_remove, name="outcome_remove"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.json", views.export_json, name="export_json"),
    path("photos/<int:pk>/delete/", views.photo_delete, name="photo_delete"),
    path("photos/delete-all/", views.history_delete, name="history_delete"),
]
