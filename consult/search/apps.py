from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "consult.search"
    label = "search"

    def ready(self) -> None:
        from . import receivers

        receivers.connect()
