"""The bidding app's API paths (mounted under /api/v1/ by marketplace.api_urls)."""

from django.urls import path

from bidding.api import bids, objections, price_index, projects, questions

urlpatterns = [
    path("projects/", projects.ProjectListCreate.as_view(), name="projects"),
    path("projects/<int:pk>/", projects.ProjectDetail.as_view(), name="project"),
    path("projects/<int:pk>/publish/", projects.ProjectPublish.as_view(),
         name="project_publish"),
    path("projects/<int:pk>/cancel/", projects.ProjectCancel.as_view(), name="project_cancel"),
    path("projects/<int:pk>/amendments/", projects.ProjectAmendments.as_view(),
         name="project_amendments"),
    path("projects/<int:pk>/open/", projects.ProjectOpen.as_view(), name="project_open"),
    path("projects/<int:pk>/award/", projects.ProjectAward.as_view(), name="project_award"),
    path("projects/<int:pk>/finalize/", projects.ProjectFinalize.as_view(),
         name="project_finalize"),
    path("projects/<int:pk>/republish/", projects.ProjectRepublish.as_view(),
         name="project_republish"),
    path("projects/<int:pk>/questions/", questions.ProjectQuestions.as_view(),
         name="project_questions"),
    path("questions/<int:pk>/answer/", questions.QuestionAnswer.as_view(),
         name="question_answer"),
    path("projects/<int:pk>/bids/", bids.ProjectBids.as_view(), name="project_bids"),
    path("bids/<int:pk>/", bids.BidDetail.as_view(), name="bid"),
    path("bids/<int:pk>/confirm/", bids.BidConfirm.as_view(), name="bid_confirm"),
    path("bids/<int:pk>/justification/", bids.BidJustification.as_view(),
         name="bid_justification"),
    path("bids/<int:pk>/justification/decide/", bids.BidJustificationDecision.as_view(),
         name="bid_justification_decide"),
    path("projects/<int:pk>/objections/", objections.ProjectObjections.as_view(),
         name="project_objections"),
    path("objections/<int:pk>/decide/", objections.ObjectionDecide.as_view(),
         name="objection_decide"),
    path("price-index/", price_index.PriceIndex.as_view(), name="price_index"),
]
