"""Public directory and profiles (stable URLs, DESIGN §5) and the workspace pages."""

from django.urls import path

from providers import views

app_name = "providers"

urlpatterns = [
    path("agencies/", views.agency_list, name="agency_list"),
    path("agencies/<int:pk>/", views.agency_detail, name="agency_detail"),
    path("owners/<int:pk>/", views.owner_detail, name="owner_detail"),
    path("workspace/services/", views.service_list, name="services"),
    path("workspace/services/add/", views.service_add, name="service_add"),
    path("workspace/services/<str:code>/edit/", views.service_edit, name="service_edit"),
    path("workspace/services/<str:code>/remove/", views.service_remove, name="service_remove"),
    path("workspace/qualifications/", views.qualification_list, name="qualifications"),
    path("workspace/qualifications/declare/", views.qualification_declare,
         name="qualification_declare"),
    path("workspace/qualifications/review/", views.qualification_review,
         name="qualification_review"),
    path("workspace/qualifications/<int:pk>/scan/", views.qualification_scan,
         name="qualification_scan"),
    path("workspace/qualifications/<int:pk>/verify/", views.qualification_verify,
         name="qualification_verify"),
    path("workspace/qualifications/<int:pk>/reject/", views.qualification_reject,
         name="qualification_reject"),
]
