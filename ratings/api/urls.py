"""API paths of the ratings app, included by marketplace/api_urls.py into the `api` namespace.
The other ratings areas (cases, complaints, inspections, open data) add their lines below."""

from django.urls import path

from ratings.api import cases, complaints, inspections, opendata, views

urlpatterns = [
    path("credit/<int:pk>/", views.CreditDetail.as_view(), name="credit"),
    path("credit/<int:pk>/events/", views.CreditEvents.as_view(), name="credit_events"),
    path("credit-events/<int:pk>/reverse/", views.CreditEventReverse.as_view(),
         name="credit_event_reverse"),
    path("blacklist/", views.Blacklist.as_view(), name="blacklist"),
    path("blacklist/<int:pk>/lift/", views.BlacklistLift.as_view(), name="blacklist_lift"),
    path("blacklist/<int:pk>/appeal/", views.BlacklistAppeals.as_view(),
         name="blacklist_appeal"),
    path("blacklist/<int:pk>/repair/", views.BlacklistRepairs.as_view(),
         name="blacklist_repair"),
    path("appeals/<int:pk>/decide/", views.AppealDecide.as_view(), name="appeal_decide"),
    path("repairs/<int:pk>/decide/", views.RepairDecide.as_view(), name="repair_decide"),
    path("organizations/<int:pk>/exit/", views.OrganizationExit.as_view(),
         name="organization_exit"),
    path("organizations/<int:pk>/ratings/", views.OrganizationRatings.as_view(),
         name="organization_ratings"),
    path("contracts/<int:pk>/ratings/", views.ContractRatings.as_view(),
         name="contract_ratings"),
    path("ratings/<int:pk>/reply/", views.RatingReply.as_view(), name="rating_reply"),
    # violation cases, complaints, random inspections, open data
    path("cases/", cases.Cases.as_view(), name="cases"),
    path("cases/<int:pk>/", cases.CaseDetail.as_view(), name="case"),
    path("cases/<int:pk>/reply/", cases.CaseReply.as_view(), name="case_reply"),
    path("cases/<int:pk>/decide/", cases.CaseDecide.as_view(), name="case_decide"),
    path("cases/<int:pk>/evidence/<int:evidence_pk>/", cases.CaseEvidenceFile.as_view(),
         name="case_evidence"),
    path("complaints/", complaints.Complaints.as_view(), name="complaints"),
    path("complaints/queue/", complaints.ComplaintQueue.as_view(), name="complaint_queue"),
    path("complaints/<int:pk>/", complaints.ComplaintDetail.as_view(), name="complaint"),
    path("complaints/<int:pk>/accept/", complaints.ComplaintAccept.as_view(),
         name="complaint_accept"),
    path("complaints/<int:pk>/decide/", complaints.ComplaintDecide.as_view(),
         name="complaint_decide"),
    path("complaints/<int:pk>/attachments/<int:attachment_pk>/",
         complaints.ComplaintAttachmentFile.as_view(), name="complaint_attachment"),
    path("inspections/", inspections.Plans.as_view(), name="inspections"),
    path("inspections/<int:pk>/", inspections.PlanDetail.as_view(), name="inspection"),
    path("inspections/<int:pk>/draw/", inspections.PlanDraw.as_view(), name="inspection_draw"),
    path("inspection-targets/<int:pk>/result/", inspections.TargetResult.as_view(),
         name="inspection_result"),
    path("open-data/ocds/", opendata.OCDSPackage.as_view(), name="open_data_ocds"),
    path("open-data/credit.csv", opendata.CreditCSV.as_view(), name="open_data_credit_csv"),
    path("open-data/credit.json", opendata.CreditJSON.as_view(), name="open_data_credit_json"),
]
