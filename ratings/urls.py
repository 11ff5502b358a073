"""Public credit pages (stable URLs, DESIGN §5) and the ratings workspace pages. The other
ratings areas (cases, complaints, inspections, open data) add their lines below. The regulator
pages moved to the console: their old URLs redirect there (ratings/views/moved.py)."""

from django.urls import path

from ratings.views import (
    cases,
    complaints,
    inspections,
    moved,
    opendata,
    public,
    public_complaints,
    workspace,
)

app_name = "ratings"

urlpatterns = [
    path("credit/", public.credit_overview, name="credit_overview"),
    path("credit/how/", public.credit_how, name="credit_how"),
    path("credit/<int:pk>/", public.credit_detail, name="credit_detail"),
    path("blacklist/", public.blacklist, name="blacklist"),
    path("workspace/credit/", workspace.my_credit, name="my_credit"),
    path("workspace/credit/entries/<int:pk>/appeal/", workspace.appeal, name="appeal"),
    path("workspace/credit/entries/<int:pk>/repair/", workspace.repair, name="repair"),
    path("workspace/credit/evidence/<str:kind>/<int:pk>/", workspace.evidence, name="evidence"),
    path("workspace/contracts/<int:contract_id>/rate/", workspace.rate, name="rate"),
    path("workspace/ratings/<int:pk>/reply/", workspace.reply, name="reply"),
    path("workspace/credit/organizations/<int:pk>/", moved.manage, name="manage"),
    path("workspace/credit/entries/<int:pk>/lift/", moved.lift, name="lift"),
    path("workspace/credit/events/<int:pk>/reverse/", moved.reverse_event,
         name="reverse_event"),
    path("workspace/credit/decisions/", moved.decisions, name="decisions"),
    path("workspace/credit/appeals/<int:pk>/decide/", moved.appeal_decide,
         name="appeal_decide"),
    path("workspace/credit/repairs/<int:pk>/decide/", moved.repair_decide,
         name="repair_decide"),
    # violation cases, complaints, random inspections, open data
    path("workspace/cases/", cases.case_list, name="cases"),
    path("workspace/cases/new/", cases.case_open, name="case_open"),
    path("workspace/cases/<int:pk>/", cases.case_detail, name="case_detail"),
    path("workspace/cases/<int:pk>/reply/", cases.case_reply, name="case_reply"),
    path("workspace/cases/<int:pk>/decide/", moved.case_decide, name="case_decide"),
    path("workspace/cases/<int:pk>/evidence/<int:evidence_pk>/", cases.case_evidence,
         name="case_evidence"),
    path("complaints/", complaints.public_list, name="complaints_public"),
    path("complaints/new/", complaints.complaint_new, name="complaint_new"),
    # without an account (issue 17 §4): filing, the code, the follow link
    path("complaints/about/projects/<int:pk>/", public_complaints.file_about_project,
         name="public_complaint_project"),
    path("complaints/about/organizations/<int:pk>/", public_complaints.file_about_organization,
         name="public_complaint_organization"),
    path("complaints/verify/<str:token>/", public_complaints.verify,
         name="public_complaint_verify"),
    path("complaints/verify/<str:token>/resend/", public_complaints.resend,
         name="public_complaint_resend"),
    path("complaints/follow/<str:token>/", public_complaints.follow,
         name="public_complaint_follow"),
    path("workspace/complaints/", complaints.queue, name="complaint_queue"),
    path("workspace/complaints/<int:pk>/", complaints.detail, name="complaint_detail"),
    path("workspace/complaints/<int:pk>/accept/", moved.complaint_accept,
         name="complaint_accept"),
    path("workspace/complaints/<int:pk>/decide/", moved.complaint_decide,
         name="complaint_decide"),
    path("workspace/complaints/<int:pk>/attachments/<int:attachment_pk>/",
         complaints.attachment, name="complaint_attachment"),
    path("inspections/", inspections.public_list, name="inspections"),
    path("inspections/<int:pk>/", inspections.plan_detail, name="inspection_detail"),
    path("workspace/inspections/", moved.inspection_plans, name="inspection_plans"),
    path("workspace/inspections/new/", moved.inspection_new, name="inspection_new"),
    path("workspace/inspections/<int:pk>/draw/", moved.inspection_draw,
         name="inspection_draw"),
    path("workspace/inspections/targets/<int:pk>/result/", moved.inspection_result,
         name="inspection_result"),
    path("open-data/", opendata.open_data, name="open_data"),
]
