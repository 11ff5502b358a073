"""The providers app's API paths (mounted under /api/v1/ by marketplace.api_urls)."""

from django.urls import path

from providers import api

urlpatterns = [
    path("agencies/", api.AgencyList.as_view(), name="agencies"),
    path("agencies/<int:pk>/", api.AgencyDetail.as_view(), name="agency"),
    path("agencies/me/services/", api.MyServices.as_view(), name="my_services"),
    path("agencies/me/services/<str:code>/", api.MyService.as_view(), name="my_service"),
    path("agencies/me/qualifications/", api.MyQualifications.as_view(),
         name="my_qualifications"),
    path("qualifications/<int:pk>/verify/", api.QualificationVerify.as_view(),
         name="qualification_verify"),
    path("qualifications/<int:pk>/reject/", api.QualificationReject.as_view(),
         name="qualification_reject"),
]
