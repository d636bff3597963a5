from django.urls import path

from consult.practice import views

app_name = "practice"
urlpatterns = [
    path("headshot/", views.headshot_edit, name="headshot_edit"),
    path("headshot/remove/", views.headshot_remove, name="headshot_remove"),
    path("headshots/<int:pk>.jpg", views.headshot, name="headshot"),
    path("gallery/", views.gallery_manage, name="gallery_manage"),
    path("gallery/<int:pk>/withdraw/", views.gallery_withdraw, name="gallery_withdraw"),
    path("gallery/<int:pk>/remove/", views.gallery_remove, name="gallery_remove"),
    path("gallery/<int:pk>/<str:side>.jpg", views.gallery_photo, name="gallery_photo"),
    path("gallery/doctor/<slug:slug>/", views.doctor_gallery, name="doctor_gallery"),
    path("consult/<slug:slug>/", views.consultation_new, name="consultation_new"),
    path("consultations/", views.consultation_list, name="consultation_list"),
    path("consultations/<int:pk>/", views.consultation_detail, name="consultation"),
]
