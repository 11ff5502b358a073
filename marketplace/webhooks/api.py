"""`webhooks/` for an organization's administrators (API.md "Added in round 2"): endpoints
`{id, url, events, secret (on create only), active}`, their delivery log and manual resend."""

from django.urls import path
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.actors import acting_organization, require_admin_of
from marketplace.api.fields import CharField
from marketplace.errors import NotAllowed
from marketplace.webhooks import selectors, services
from marketplace.webhooks.events import Event
from marketplace.webhooks.models import Delivery, Endpoint


class WebhookEndpointSerializer(serializers.ModelSerializer):
    events = serializers.ListField(child=serializers.ChoiceField(choices=Event.choices))

    class Meta:
        model = Endpoint
        fields = ["id", "url", "description", "events", "active", "created_at",
                  "secret_rotated_at", "disabled_at", "disabled_reason"]
        read_only_fields = fields


class CreatedWebhookEndpointSerializer(WebhookEndpointSerializer):
    secret = serializers.CharField(read_only=True,
                                   help_text="The signing secret: shown this once only")

    class Meta(WebhookEndpointSerializer.Meta):
        fields = [*WebhookEndpointSerializer.Meta.fields, "secret"]
        read_only_fields = fields


class WebhookEndpointInputSerializer(serializers.Serializer):
    url = CharField(kind="url")
    events = serializers.ListField(child=serializers.ChoiceField(choices=Event.choices))
    description = CharField(kind="line", required=False, allow_blank=True, default="")


class WebhookEndpointChangeSerializer(serializers.Serializer):
    url = CharField(kind="url", required=False)
    events = serializers.ListField(child=serializers.ChoiceField(choices=Event.choices),
                                   required=False)
    description = CharField(kind="line", required=False, allow_blank=True)
    active = serializers.BooleanField(required=False)


class WebhookDeliverySerializer(serializers.ModelSerializer):
    event_id = serializers.UUIDField(source="event.pk", read_only=True)
    event = serializers.CharField(source="event.event", read_only=True)

    class Meta:
        model = Delivery
        fields = ["id", "event_id", "event", "status", "attempts", "last_response_code",
                  "last_error", "created_at", "last_attempt_at", "next_attempt_at",
                  "delivered_at", "resend_of"]
        read_only_fields = fields


def _admin_organization(user):
    """The organization the caller administers; 403 for staff and for users of none."""
    organization = acting_organization(user)
    if organization is None:
        raise NotAllowed()
    require_admin_of(user, organization)
    return organization


def _endpoint(user, pk: int) -> Endpoint:
    endpoint = selectors.endpoint_of_user(user, pk)
    require_admin_of(user, endpoint.organization)
    return endpoint


class WebhookList(ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = WebhookEndpointSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Endpoint.objects.none()
        return selectors.endpoints_of(_admin_organization(self.request.user))

    @extend_schema(summary="The caller's organization's webhook endpoints (administrators)")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=WebhookEndpointInputSerializer,
                   responses={201: CreatedWebhookEndpointSerializer},
                   summary="Register a webhook endpoint; its secret is in this answer only")
    def post(self, request):
        organization = _admin_organization(request.user)
        data = WebhookEndpointInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        endpoint, secret = services.endpoint_create(organization=organization,
                                                    by=request.user, **data.validated_data)
        body = {**WebhookEndpointSerializer(endpoint).data, "secret": secret}
        return Response(body, status=status.HTTP_201_CREATED)


class WebhookDetail(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=WebhookEndpointSerializer, summary="One webhook endpoint")
    def get(self, request, pk: int):
        return Response(WebhookEndpointSerializer(_endpoint(request.user, pk)).data)

    @extend_schema(request=WebhookEndpointChangeSerializer, responses=WebhookEndpointSerializer,
                   summary="Change an endpoint's URL, events or description; enable or "
                           "disable it")
    def patch(self, request, pk: int):
        endpoint = _endpoint(request.user, pk)
        data = WebhookEndpointChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        active = changes.pop("active", None)
        if changes:
            endpoint = services.endpoint_update(endpoint=endpoint, by=request.user, **changes)
        if active is not None:
            endpoint = services.endpoint_set_active(endpoint=endpoint, active=active,
                                                    by=request.user)
        return Response(WebhookEndpointSerializer(endpoint).data)


class WebhookRotateSecret(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: inline_serializer(
        "RotatedWebhookSecret", {"secret": serializers.CharField()})},
        summary="Replace the endpoint's signing secret (in force at once; shown once)")
    def post(self, request, pk: int):
        secret = services.endpoint_rotate_secret(endpoint=_endpoint(request.user, pk),
                                                 by=request.user)
        return Response({"secret": secret})


class WebhookDeliveries(ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = WebhookDeliverySerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Delivery.objects.none()
        return selectors.deliveries_of(_endpoint(self.request.user, self.kwargs["pk"]))

    @extend_schema(summary="The endpoint's delivery log, newest first")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class WebhookResend(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={201: WebhookDeliverySerializer},
                   summary="Send a delivery's event again, unchanged (same id and body)")
    def post(self, request, pk: int, delivery_id: int):
        delivery = selectors.delivery_of(_endpoint(request.user, pk), delivery_id)
        again = services.delivery_resend(delivery=delivery, by=request.user)
        return Response(WebhookDeliverySerializer(again).data, status=status.HTTP_201_CREATED)


urlpatterns = [
    path("webhooks/", WebhookList.as_view(), name="webhooks"),
    path("webhooks/<int:pk>/", WebhookDetail.as_view(), name="webhook"),
    path("webhooks/<int:pk>/rotate-secret/", WebhookRotateSecret.as_view(),
         name="webhook_rotate_secret"),
    path("webhooks/<int:pk>/deliveries/", WebhookDeliveries.as_view(),
         name="webhook_deliveries"),
    path("webhooks/<int:pk>/deliveries/<int:delivery_id>/resend/", WebhookResend.as_view(),
         name="webhook_resend"),
]
