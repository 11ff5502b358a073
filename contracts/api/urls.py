"""Contract routes of the API v1, included by marketplace/api_urls.py (names in "api:")."""

from django.urls import path

from contracts.api import pades, views

urlpatterns = [
    path("contracts/", views.ContractList.as_view(), name="contracts"),
    path("contracts/<int:pk>/", views.ContractDetail.as_view(), name="contract"),
    path("contracts/<int:pk>/sign/", views.ContractSign.as_view(), name="contract_sign"),
    path("contracts/<int:pk>/refuse/", views.ContractRefuse.as_view(), name="contract_refuse"),
    path("contracts/<int:pk>/deliver/", views.ContractDeliver.as_view(),
         name="contract_deliver"),
    path("contracts/<int:pk>/accept/", views.ContractAccept.as_view(), name="contract_accept"),
    path("contracts/<int:pk>/reject/", views.ContractReject.as_view(), name="contract_reject"),
    path("contracts/<int:pk>/suspend/", views.ContractSuspend.as_view(),
         name="contract_suspend"),
    path("contracts/<int:pk>/resume/", views.ContractResume.as_view(), name="contract_resume"),
    path("contracts/<int:pk>/continue/", views.ContractContinue.as_view(),
         name="contract_continue"),
    path("contracts/<int:pk>/terminate/", views.ContractTerminate.as_view(),
         name="contract_terminate"),
    path("contracts/<int:pk>/signed.pdf", pades.SignedPdf.as_view(), name="contract_signed_pdf"),
    path("verify/contract/", pades.VerifyContract.as_view(), name="verify_contract"),
    path("projects/<int:pk>/award-next/", views.ProjectAwardNext.as_view(),
         name="project_award_next"),
]
