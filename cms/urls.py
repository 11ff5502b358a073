from django.urls import path

from cms import feeds, views

app_name = "cms"

urlpatterns = [
    path("announcements/feed/", feeds.AnnouncementFeed(), name="announcement_feed"),
    path("announcements/atom/", feeds.AnnouncementAtomFeed(), name="announcement_atom"),
    path("search/", views.search, name="search"),
]
