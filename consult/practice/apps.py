from django.apps import AppConfig


class PracticeConfig(AppConfig):
    name = "consult.practice"
    label = "practice"

    def ready(self) -> None:
        from consult.accounts import erasure
        from consult.core import sweeps

        from . import services, work

        # Headshots, gallery photos and consultation requests go with the account (consult.accounts.erasure).
        erasure.register("practice", lambda user: services.member_practice_delete(user=user))
        # Pairs a killed worker left half-measured are queued again by the worker's sweep (consult.core.sweeps).
        sweeps.register("gallery_pairs", work.recover_stalled_pairs)
