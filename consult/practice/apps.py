from django.apps import AppConfig


class PracticeConfig(AppConfig):
    name = "consult.practice"
    label = "practice"
