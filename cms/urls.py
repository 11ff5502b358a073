from django.urls import path

from cms import catalogue, feeds, views

app_name = "cms"

urlpatterns = [
    path("announcements/feed/", feeds.AnnouncementFeed(), name="announcement_feed"),
    path("announcements/atom/", feeds.AnnouncementAtomFeed(), name="announcement_atom"),
    path("search/", views.search, name="search"),
    path("service-items/", catalogue.service_item_list, name="service_items"),
    path("service-items/<str:code>/", catalogue.service_item_detail, name="service_item"),
]
