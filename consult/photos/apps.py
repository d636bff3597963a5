from django.apps import AppConfig


class PhotosConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "consult.photos"
    verbose_name = "Photos and measurements"
