from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "consult.progress"
    label = "progress"
    verbose_name = "Progress over time"

    def ready(self) -> None:
        from django.conf import settings

        from consult.accounts import erasure

        from . import services

        # Deleting an account deletes its treatments and questionnaires (consult.accounts.erasure).
        erasure.register("progress", lambda user: services.member_progress_delete(patient=user))

        path = settings.PROGRESS_INSTRUMENTS_FILE
        if path:  # a clinic's licensed item wording; see instruments.load_overrides
            from . import instruments

            instruments.load_overrides(path)
