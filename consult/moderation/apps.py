from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "consult.moderation"
    label = "moderation"
