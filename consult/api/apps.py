from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "consult.api"
    label = "api"
    verbose_name = "JSON API"
