"""The REST API v1 (API.md). Each app adds its own paths here."""

from django.urls import include, path

from bidding.api import bids as bidding_bids
from bidding.api import objections as bidding_objections
from bidding.api import projects as bidding_projects
from bidding.api import questions as bidding_questions
from marketplace.accounts import api as accounts_api
from marketplace.catalog import api as catalog_api
from providers import api as providers_api
from ratings.api import urls as ratings_api_urls

app_name = "api"

urlpatterns = [
    path("auth/token/", accounts_api.TokenView.as_view(), name="token"),
    path("register/agency/", accounts_api.RegisterAgencyView.as_view(), name="register_agency"),
    path("register/owner/", accounts_api.RegisterOwnerView.as_view(), name="register_owner"),
    path("me/", accounts_api.MeView.as_view(), name="me"),
    path("service-items/", catalog_api.ServiceItemList.as_view(), name="service_items"),
    path("regions/", catalog_api.RegionList.as_view(), name="regions"),
    # providers
    path("agencies/", providers_api.AgencyList.as_view(), name="agencies"),
    path("agencies/<int:pk>/", providers_api.AgencyDetail.as_view(), name="agency"),
    path("agencies/me/services/", providers_api.MyServices.as_view(), name="my_services"),
    path("agencies/me/services/<str:code>/", providers_api.MyService.as_view(),
         name="my_service"),
    path("agencies/me/qualifications/", providers_api.MyQualifications.as_view(),
         name="my_qualifications"),
    path("qualifications/<int:pk>/verify/", providers_api.QualificationVerify.as_view(),
         name="qualification_verify"),
    path("qualifications/<int:pk>/reject/", providers_api.QualificationReject.as_view(),
         name="qualification_reject"),
    # bidding
    path("projects/", bidding_projects.ProjectListCreate.as_view(), name="projects"),
    path("projects/<int:pk>/", bidding_projects.ProjectDetail.as_view(), name="project"),
    path("projects/<int:pk>/publish/", bidding_projects.ProjectPublish.as_view(),
         name="project_publish"),
    path("projects/<int:pk>/cancel/", bidding_projects.ProjectCancel.as_view(),
         name="project_cancel"),
    path("projects/<int:pk>/amendments/", bidding_projects.ProjectAmendments.as_view(),
         name="project_amendments"),
    path("projects/<int:pk>/open/", bidding_projects.ProjectOpen.as_view(), name="project_open"),
    path("projects/<int:pk>/award/", bidding_projects.ProjectAward.as_view(),
         name="project_award"),
    path("projects/<int:pk>/finalize/", bidding_projects.ProjectFinalize.as_view(),
         name="project_finalize"),
    path("projects/<int:pk>/republish/", bidding_projects.ProjectRepublish.as_view(),
         name="project_republish"),
    path("projects/<int:pk>/questions/", bidding_questions.ProjectQuestions.as_view(),
         name="project_questions"),
    path("questions/<int:pk>/answer/", bidding_questions.QuestionAnswer.as_view(),
         name="question_answer"),
    path("projects/<int:pk>/bids/", bidding_bids.ProjectBids.as_view(), name="project_bids"),
    path("bids/<int:pk>/", bidding_bids.BidDetail.as_view(), name="bid"),
    path("bids/<int:pk>/confirm/", bidding_bids.BidConfirm.as_view(), name="bid_confirm"),
    path("bids/<int:pk>/justification/", bidding_bids.BidJustification.as_view(),
         name="bid_justification"),
    path("bids/<int:pk>/justification/decide/", bidding_bids.BidJustificationDecision.as_view(),
         name="bid_justification_decide"),
    path("projects/<int:pk>/objections/", bidding_objections.ProjectObjections.as_view(),
         name="project_objections"),
    path("objections/<int:pk>/decide/", bidding_objections.ObjectionDecide.as_view(),
         name="objection_decide"),
    # contracts, and their payments
    path("", include("contracts.api.urls")),
    path("", include("contracts.api.payments")),
    # ratings (credit, blacklist, ratings; the ratings app's other areas add to its urls)
    *ratings_api_urls.urlpatterns,
]
