"""Payments API (API.md "Contracts and payments"): start a payment, the offline steps, the
Stripe webhook, and an agency's Stripe Connect onboarding link. Routes at the bottom
(`urlpatterns`, included by marketplace/api_urls.py)."""

import logging

import stripe
from django.urls import path, reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from contracts.models import Payment, PaymentEvent
from contracts.payments import providers, selectors, services
from contracts.payments.providers import stripe as stripe_api
from contracts.payments.services.common import ensure_agency, ensure_owner
from contracts.payments.services.offline_payments import ensure_regulator
from contracts.selectors import contract_for_viewer
from marketplace.accounts.selectors import organization_of
from marketplace.api import fields
from marketplace.errors import DomainError, NotAllowed

logger = logging.getLogger(__name__)

CONFLICT = OpenApiResponse(description="The payment's or the contract's state does not allow it.")
FORBIDDEN = OpenApiResponse(description="The caller's organization may not do this.")
NOT_FOUND = OpenApiResponse(description="No such payment or contract visible to the caller.")
UNAVAILABLE = OpenApiResponse(description="Stripe could not be reached; nothing was recorded.")


class PaymentEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", default=None)

    class Meta:
        model = PaymentEvent
        fields = ["type", "received_at", "status_before", "status_after", "outcome", "actor"]


class PaymentSerializer(serializers.ModelSerializer):
    checkout_url = serializers.SerializerMethodField()
    history = serializers.SerializerMethodField()

    class Meta:
        model = Payment
        fields = ["id", "contract", "provider", "status", "amount", "currency", "checkout_url",
                  "created_at", "updated_at", "transfer_amount", "transfer_date",
                  "transfer_reference", "sent_at", "confirmed_at", "disputed_at",
                  "dispute_reason", "paid_at", "failed_at", "failure_message",
                  "refund_requested_at", "refunded_at", "refunded_amount", "history"]

    def get_checkout_url(self, payment) -> str | None:
        """Stripe's payment page, for the owner only, while it can still pay there."""
        organization = self.context.get("organization")
        if (organization is not None and organization.pk == payment.contract.owner_id
                and payment.provider == Payment.Provider.STRIPE and payment.checkout_url
                and payment.status in (Payment.Status.CHECKOUT_OPEN, Payment.Status.FAILED)):
            return payment.checkout_url
        return None

    def get_history(self, payment) -> list[dict]:
        return PaymentEventSerializer(selectors.history(payment), many=True).data


class PaymentStartSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=Payment.Provider.choices,
                                     default=providers.DEFAULT_METHOD)


class PaymentRecordTransferSerializer(serializers.Serializer):
    amount = fields.DecimalField(max_digits=14, decimal_places=2, required=False)
    date = fields.DateField(required=False)
    reference = fields.CharField(max_length=100, required=False, allow_blank=True)


class PaymentDisputeSerializer(serializers.Serializer):
    reason = fields.CharField(kind="reason")


class PaymentResolveSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=services.RESOLUTION_CHOICES)
    note = fields.CharField(kind="note")


class PaymentAPIView(APIView):
    permission_classes = [IsAuthenticated]

    def organization(self):
        if not hasattr(self, "_organization"):
            self._organization = organization_of(self.request.user)
        return self._organization

    def visible_payment(self, pk) -> Payment:
        return selectors.payment_for_viewer(pk, self.organization())

    def context(self) -> dict:
        return {"request": self.request, "organization": self.organization()}

    def render(self, payment: Payment, code=status.HTTP_200_OK) -> Response:
        payment.refresh_from_db()
        return Response(PaymentSerializer(payment, context=self.context()).data, status=code)


class ContractPayments(PaymentAPIView):
    @extend_schema(summary="Payments of a contract (parties, regulators)",
                   responses={200: PaymentSerializer(many=True), 404: NOT_FOUND})
    def get(self, request, pk):
        contract = contract_for_viewer(pk, self.organization())
        return Response(PaymentSerializer(selectors.payments_of(contract), many=True,
                                          context=self.context()).data)

    @extend_schema(
        summary="Start paying the contract price (the owner)",
        description="`offline` (default): a bank transfer the owner then records and the agency "
                    "confirms. `stripe` (only when the platform has Stripe keys): the response's "
                    "`checkout_url` is Stripe's payment page. One payment per contract unless the "
                    "previous one failed.",
        request=PaymentStartSerializer,
        responses={201: PaymentSerializer, 400: OpenApiResponse(description="Unknown or "
                   "unavailable method."), 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT,
                   503: UNAVAILABLE})
    def post(self, request, pk):
        contract = contract_for_viewer(pk, self.organization())
        ensure_owner(contract, request.user)  # who acts is checked before the body
        body = PaymentStartSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        payment = services.payment_start(
            contract=contract, method=body.validated_data["method"], by=request.user,
            return_url=request.build_absolute_uri(_contract_page(contract.pk)))
        return self.render(payment, status.HTTP_201_CREATED)


class PaymentDetail(PaymentAPIView):
    @extend_schema(summary="A payment with its history", responses={200: PaymentSerializer,
                                                                    404: NOT_FOUND})
    def get(self, request, pk):
        return self.render(self.visible_payment(pk))


class PaymentConfirm(PaymentAPIView):
    @extend_schema(
        summary="Offline payment: the owner records the transfer; the agency confirms receipt",
        description="Called by the **owner** with `{amount, date, reference}` (the amount must be "
                    "the amount due; the date not in the future): `pending`/`disputed` → `sent`. "
                    "Called by the **agency** with `{}`: `sent` → `confirmed`.",
        request=PaymentRecordTransferSerializer,
        examples=[OpenApiExample("owner", request_only=True,
                                 value={"amount": "80000.00", "date": "2026-03-20",
                                        "reference": "ICBC 20260320-0001"}),
                  OpenApiExample("agency", request_only=True, value={})],
        responses={200: PaymentSerializer, 400: OpenApiResponse(description="Invalid fields."),
                   403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT})
    def post(self, request, pk):
        payment = self.visible_payment(pk)
        organization = self.organization()
        if organization.pk == payment.contract.owner_id:
            body = PaymentRecordTransferSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            data = body.validated_data
            missing = {name: [_("This field is required.")]
                       for name in ("amount", "date", "reference") if not data.get(name)}
            if missing:
                raise serializers.ValidationError(missing)
            payment = services.payment_mark_sent(payment=payment, by=request.user,
                                                 amount=data["amount"], date=data["date"],
                                                 reference=data["reference"])
        elif organization.pk == payment.contract.agency_id:
            payment = services.payment_confirm_received(payment=payment, by=request.user)
        else:
            raise NotAllowed(_("Only the parties to the contract can do this."))
        return self.render(payment)


class PaymentWithdraw(PaymentAPIView):
    @extend_schema(summary="Offline payment: the owner withdraws it before recording a transfer",
                   description="`pending` → `withdrawn`; another payment (e.g. online) can then "
                               "be started for the contract.",
                   request=None,
                   responses={200: PaymentSerializer, 403: FORBIDDEN, 404: NOT_FOUND,
                              409: CONFLICT})
    def post(self, request, pk):
        payment = services.payment_withdraw(payment=self.visible_payment(pk), by=request.user)
        return self.render(payment)


class PaymentDispute(PaymentAPIView):
    @extend_schema(summary="Offline payment: the agency denies receiving the recorded transfer",
                   request=PaymentDisputeSerializer,
                   responses={200: PaymentSerializer, 403: FORBIDDEN, 404: NOT_FOUND,
                              409: CONFLICT})
    def post(self, request, pk):
        payment = self.visible_payment(pk)
        ensure_agency(payment.contract, request.user)
        body = PaymentDisputeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        payment = services.payment_dispute(payment=payment, by=request.user,
                                           reason=body.validated_data["reason"])
        return self.render(payment)


class PaymentResolve(PaymentAPIView):
    @extend_schema(summary="Settle a disputed transfer (regulators)",
                   description="`confirmed`: the money arrived. `pending`: it did not; the owner "
                               "transfers and records again.",
                   request=PaymentResolveSerializer,
                   responses={200: PaymentSerializer, 403: FORBIDDEN, 404: NOT_FOUND,
                              409: CONFLICT})
    def post(self, request, pk):
        payment = self.visible_payment(pk)
        ensure_regulator(payment.contract, request.user)
        body = PaymentResolveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        payment = services.payment_resolve_dispute(payment=payment, by=request.user,
                                                   **body.validated_data)
        return self.render(payment)


class StripeWebhook(APIView):
    """Stripe's calls: no session, no token, no CSRF; the signature is the authentication."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Stripe webhook (signed events)",
        description="Verified with `STRIPE_WEBHOOK_SECRET` (`Stripe-Signature` header). Each "
                    "event is recorded once: a replay answers 200 and changes nothing. Handles "
                    "`checkout.session.completed`, `checkout.session.expired`, "
                    "`payment_intent.payment_failed`, `charge.refunded`, `account.updated`; "
                    "others are recorded only.",
        request=inline_serializer("StripeEvent", {"id": fields.CharField(kind="line"),
                                                  "type": fields.CharField(kind="line")}),
        responses={200: inline_serializer("StripeWebhookReceived", {
            "received": serializers.BooleanField(), "duplicate": serializers.BooleanField()}),
            400: OpenApiResponse(description="Missing or invalid signature; nothing recorded.")})
    def post(self, request):
        try:
            event = stripe_api.verify_event(request.body,
                                            request.headers.get("Stripe-Signature"))
        except (stripe.SignatureVerificationError, ValueError, UnicodeDecodeError) as exc:
            logger.warning("Stripe webhook refused: %s", exc)
            raise DomainError(_("Invalid signature."),
                              code="payment.webhook_signature_invalid") from exc
        record = services.stripe_event_receive(event=event)
        return Response({"received": True, "duplicate": record is None})


class StripeConnectLink(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Stripe Connect onboarding link for the caller's agency (admins)",
                   request=None,
                   responses={200: inline_serializer("StripeConnectLink", {
                       "url": serializers.URLField()}), 403: FORBIDDEN, 409: CONFLICT,
                       503: UNAVAILABLE})
    def post(self, request):
        url = services.stripe_account_connect(
            by=request.user,
            refresh_url=request.build_absolute_uri(reverse("payments:stripe_connect")),
            return_url=request.build_absolute_uri(reverse("payments:stripe_connect_return")))
        return Response({"url": url})


def _contract_page(pk: int) -> str:
    return services.contract_page_path(pk)


urlpatterns = [
    path("contracts/<int:pk>/payments/", ContractPayments.as_view(), name="contract_payments"),
    path("payments/<int:pk>/", PaymentDetail.as_view(), name="payment"),
    path("payments/<int:pk>/confirm/", PaymentConfirm.as_view(), name="payment_confirm"),
    path("payments/<int:pk>/dispute/", PaymentDispute.as_view(), name="payment_dispute"),
    path("payments/<int:pk>/withdraw/", PaymentWithdraw.as_view(), name="payment_withdraw"),
    path("payments/<int:pk>/resolve/", PaymentResolve.as_view(), name="payment_resolve"),
    path("payments/stripe/webhook/", StripeWebhook.as_view(), name="stripe_webhook"),
    path("agencies/me/stripe-account/", StripeConnectLink.as_view(), name="stripe_connect"),
]
