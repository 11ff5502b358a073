from django.urls import path

from marketplace.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.checkpoint_list, name="checkpoints"),
]
