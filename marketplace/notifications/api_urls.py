"""The inbox's API paths (mounted under /api/v1/ by marketplace.api_urls)."""

from django.urls import path

from marketplace.notifications import api

urlpatterns = [
    path("notifications/", api.NotificationList.as_view(), name="notifications"),
    path("notifications/unread-count/", api.NotificationUnreadCount.as_view(),
         name="notifications_unread_count"),
    path("notifications/read-all/", api.NotificationReadAll.as_view(),
         name="notifications_read_all"),
    path("notifications/preferences/", api.NotificationPreferences.as_view(),
         name="notification_preferences"),
    path("notifications/<int:pk>/read/", api.NotificationRead.as_view(),
         name="notification_read"),
]
