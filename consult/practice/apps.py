from django.apps import AppConfig


class PracticeConfig(AppConfig):
    name = "consult.practice"
    label = "practice"

    def ready(self) -> None:
        from consult.accounts import erasure

        from . import services

        # Headshots, gallery photos and consultation requests go with the account (consult.accounts.erasure).
        erasure.register("practice", lambda user: services.member_practice_delete(user=user))
