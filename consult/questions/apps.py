from django.apps import AppConfig


class QuestionsConfig(AppConfig):
    name = "consult.questions"
    label = "questions"

    def ready(self) -> None:
        from consult.accounts import erasure

        from . import services

        # Deleting an account keeps its questions under "deleted user" (consult.accounts.erasure).
        erasure.register("questions", lambda user: services.author_forget(author=user))
