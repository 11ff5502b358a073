"""The inbox through the API (API.md "Added in round 2", issue 17 §5): the user's messages with
an `unread` filter, marking one or all read, the unread count, and which kinds of notice come
by e-mail too."""

import django_filters
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.notifications import selectors, services
from marketplace.notifications.kinds import EmailKind
from marketplace.notifications.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    read = serializers.SerializerMethodField(help_text="Whether the user has read it")

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "created_at", "read_at", "read"]

    def get_read(self, notification) -> bool:
        return notification.read_at is not None


class NotificationFilter(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(
        field_name="read_at", lookup_expr="isnull",
        label="true: only unread messages; false: only read ones")

    class Meta:
        model = Notification
        fields = ["unread"]


class InboxAPIView(APIView):
    permission_classes = [IsAuthenticated]


class NotificationList(InboxAPIView, ListAPIView):
    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return Notification.objects.none()
        return selectors.inbox(self.request.user)

    @extend_schema(summary="The caller's inbox, newest first")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class NotificationRead(InboxAPIView):
    @extend_schema(request=None, responses={200: NotificationSerializer},
                   summary="Mark one of the caller's messages read (someone else's: 404)")
    def post(self, request, pk: int):
        notification = services.notification_read(user=request.user, notification_id=pk)
        return Response(NotificationSerializer(notification).data)


UNREAD = inline_serializer("UnreadCount", {"unread": serializers.IntegerField()})


class NotificationReadAll(InboxAPIView):
    @extend_schema(request=None, responses={200: inline_serializer(
        "MarkedRead", {"marked": serializers.IntegerField()})},
        summary="Mark all the caller's messages read")
    def post(self, request):
        return Response({"marked": services.mark_read(user=request.user)})


class NotificationUnreadCount(InboxAPIView):
    @extend_schema(responses={200: UNREAD}, summary="How many of the caller's messages are unread")
    def get(self, request):
        return Response({"unread": selectors.unread_count(request.user)})


class EmailPreferencesSerializer(serializers.Serializer):
    email = serializers.DictField(
        child=serializers.BooleanField(),
        help_text="Kind of notice → whether it is e-mailed too (the inbox gets everything). "
                  f"Kinds: {', '.join(EmailKind.values)}. Kinds not named keep their choice.")


class NotificationPreferences(InboxAPIView):
    def _answer(self, email: dict[str, bool]) -> Response:
        return Response({"email": email, "kinds": [
            {"kind": kind, "label": str(label)} for kind, label in EmailKind.choices]})

    @extend_schema(responses={200: inline_serializer("EmailPreferences", {
        "email": serializers.DictField(child=serializers.BooleanField()),
        "kinds": serializers.ListField(child=serializers.DictField())})},
        summary="Which kinds of notice the caller receives by e-mail")
    def get(self, request):
        return self._answer(selectors.email_preferences(request.user))

    @extend_schema(request=EmailPreferencesSerializer, responses={200: inline_serializer(
        "EmailPreferencesSet", {
            "email": serializers.DictField(child=serializers.BooleanField()),
            "kinds": serializers.ListField(child=serializers.DictField())})},
        summary="Choose which kinds of notice come by e-mail")
    def put(self, request):
        body = EmailPreferencesSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._answer(services.email_preferences_set(
            user=request.user, email=body.validated_data["email"]))
