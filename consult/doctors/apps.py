from django.apps import AppConfig


class DoctorsConfig(AppConfig):
    name = "consult.doctors"
    label = "doctors"

    def ready(self) -> None:
        from consult.accounts import erasure

        from . import services

        # A doctor who deletes their account keeps a profile marked as left (consult.accounts.erasure).
        erasure.register("doctors", lambda user: services.doctor_mark_left(user=user))
