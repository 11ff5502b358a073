"""Public project pages (stable URLs, DESIGN §5)."""

from django.urls import path

from bidding.views import agency, owner, owner_actions, owner_workspace, price_index, public

app_name = "bidding"

urlpatterns = [
    path("projects/", public.project_list, name="project_list"),
    path("projects/<int:pk>/", public.project_detail, name="project_detail"),
    path("projects/<int:pk>/draw/", public.project_draw, name="project_draw"),
    # The price index (issue 15 §3): public, like the awards it is computed from.
    path("price-index/", price_index.price_index_overview, name="price_index"),
    path("price-index/items/<str:code>/", price_index.price_index_item,
         name="price_index_item"),
    path("price-index/cap-hint/", price_index.price_hint, name="price_hint"),
    path("projects/<int:pk>/documents/<int:document_pk>/", owner_actions.project_document,
         name="project_document"),
    # The owner's workspace.
    path("workspace/projects/", owner.project_list, name="owner_projects"),
    path("workspace/projects/new/", owner.project_create, name="owner_project_create"),
    path("workspace/projects/<int:pk>/", owner_workspace.project_workspace, name="owner_project"),
    path("workspace/projects/<int:pk>/edit/", owner.project_edit, name="owner_project_edit"),
    path("workspace/projects/<int:pk>/publish/", owner_actions.project_publish,
         name="owner_project_publish"),
    path("workspace/projects/<int:pk>/cancel/", owner_actions.project_cancel,
         name="owner_project_cancel"),
    path("workspace/projects/<int:pk>/amend/", owner_actions.project_amend,
         name="owner_project_amend"),
    path("workspace/projects/<int:pk>/open/", owner_actions.project_open,
         name="owner_project_open"),
    path("workspace/projects/<int:pk>/award/", owner_actions.project_award,
         name="owner_project_award"),
    path("workspace/projects/<int:pk>/finalize/", owner_actions.project_finalize,
         name="owner_project_finalize"),
    path("workspace/projects/<int:pk>/republish/", owner_actions.project_republish,
         name="owner_project_republish"),
    path("workspace/projects/<int:pk>/documents/", owner_actions.documents_add,
         name="owner_documents_add"),
    path("workspace/projects/<int:pk>/documents/<int:document_pk>/remove/",
         owner_actions.document_remove, name="owner_document_remove"),
    path("workspace/projects/<int:pk>/bids/<int:bid_pk>/justification/", owner_actions.bid_decide,
         name="owner_bid_decide"),
    path("workspace/projects/<int:pk>/questions/<int:question_pk>/answer/",
         owner_actions.question_answer, name="owner_question_answer"),
    path("workspace/projects/<int:pk>/objections/<int:objection_pk>/decide/",
         owner_actions.objection_decide, name="owner_objection_decide"),
    # The agency's bids (bidding.views.agency).
    path("workspace/bids/", agency.my_bids, name="my_bids"),
    path("workspace/bids/alerts/", agency.regional_alerts, name="regional_alerts"),
    path("workspace/bids/projects/<int:project_pk>/bid/", agency.bid_submit, name="bid_submit"),
    path("workspace/bids/projects/<int:project_pk>/question/", agency.question_ask,
         name="question_ask"),
    path("workspace/bids/projects/<int:project_pk>/objection/", agency.objection_file,
         name="objection_file"),
    path("workspace/bids/<int:pk>/", agency.bid_receipt, name="bid_receipt"),
    path("workspace/bids/<int:pk>/revise/", agency.bid_revise, name="bid_revise"),
    path("workspace/bids/<int:pk>/withdraw/", agency.bid_withdraw, name="bid_withdraw"),
    path("workspace/bids/<int:pk>/confirm/", agency.bid_confirm, name="bid_confirm"),
    path("workspace/bids/<int:pk>/justify/", agency.bid_justify, name="bid_justify"),
    path("files/bids/<int:pk>/", agency.bid_attachment, name="bid_attachment"),
    path("files/objections/<int:pk>/", agency.objection_attachment,
         name="objection_attachment"),
]
