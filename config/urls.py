from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("consult.accounts.urls")),
    path("doctors/", include("consult.doctors.urls")),
    path("moderation/", include("consult.moderation.urls")),
    path("", include("consult.questions.urls")),
]
