"""Public project pages (stable URLs, DESIGN §5)."""

from django.urls import path

from bidding import views

app_name = "bidding"

urlpatterns = [
    path("projects/", views.project_list, name="project_list"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
    path("projects/<int:pk>/draw/", views.project_draw, name="project_draw"),
]
