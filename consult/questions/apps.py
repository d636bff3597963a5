from django.apps import AppConfig


class QuestionsConfig(AppConfig):
    name = "consult.questions"
    label = "questions"
