"""Contract pages in the workspace."""

from django.urls import path

from contracts import views, views_verify

app_name = "contracts"

urlpatterns = [
    path("workspace/contracts/", views.contract_list, name="list"),
    path("workspace/contracts/<int:pk>/", views.contract_detail, name="detail"),
    path("workspace/contracts/<int:pk>/print/", views.contract_print, name="print"),
    path("workspace/contracts/<int:pk>/pdf/", views.contract_pdf, name="pdf"),
    path("workspace/contracts/<int:pk>/signed-pdf/", views_verify.contract_signed_pdf,
         name="signed_pdf"),
    path("verify/contract/", views_verify.verify_contract, name="verify"),
    path("workspace/contracts/<int:pk>/sign/", views.contract_sign, name="sign"),
    path("workspace/contracts/<int:pk>/refuse/", views.contract_refuse, name="refuse"),
    path("workspace/contracts/<int:pk>/deliver/", views.contract_deliver, name="deliver"),
    path("workspace/contracts/<int:pk>/accept/", views.contract_accept, name="accept"),
    path("workspace/contracts/<int:pk>/reject/", views.contract_reject, name="reject"),
    path("workspace/contracts/<int:pk>/suspend/", views.contract_suspend, name="suspend"),
    path("workspace/contracts/<int:pk>/resume/", views.contract_resume, name="resume"),
    path("workspace/contracts/<int:pk>/terminate/", views.contract_terminate,
         name="terminate"),
    path("workspace/contracts/<int:pk>/continue/", views.contract_continue, name="continue"),
    path("workspace/contracts/<int:pk>/award-next/", views.contract_award_next,
         name="award_next"),
    path("workspace/contracts/<int:pk>/files/<int:file_pk>/", views.delivery_file,
         name="delivery_file"),
]
