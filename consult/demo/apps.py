from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "consult.demo"
    label = "demo"
