from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "consult.reviews"
    label = "reviews"
