from django.apps import AppConfig


class DoctorsConfig(AppConfig):
    name = "consult.doctors"
    label = "doctors"
