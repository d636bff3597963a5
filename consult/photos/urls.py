from django.urls import path

from . import views

app_name = "photos"
urlpatterns = [
    path("", views.my_photos, name="mine"),
    path("guide/", views.guide, name="guide"),
    path("new/", views.visit_new, name="visit_new"),
    path("visits/<int:pk>/", views.visit_detail, name="visit"),
    path("visits/<int:pk>/status/", views.visit_status, name="visit_status"),
    path("visits/<int:pk>/add/", views.visit_add, name="visit_add"),
    path("visits/<int:pk>/photo/", views.photo_upload, name="photo_upload"),
    path("visits/<int:pk>/quoting/", views.visit_quoting, name="visit_quoting"),
    path("visits/<int:pk>/share/", views.visit_share, name="visit_share"),
    path("visits/<int:pk>/share/<int:doctor_id>/stop/", views.visit_unshare, name="visit_unshare"),
    path("access/", views.access_log, name="access_log"),
    path("files/<int:pk>/<str:kind>.jpg", views.photo_file, name="file"),
]
