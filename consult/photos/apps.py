from django.apps import AppConfig


class PhotosConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "consult.photos"
    verbose_name = "Photos and measurements"

    def ready(self) -> None:
        from consult.accounts import erasure

        from . import services

        # Deleting an account deletes its photos, measurements and access log (consult.accounts.erasure).
        erasure.register("photos", lambda user: services.member_photos_delete(user=user))
