from django.urls import path

app_name = "doctors"
urlpatterns: list = []
