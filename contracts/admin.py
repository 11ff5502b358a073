"""Contracts in Django's admin, which is for superusers only (regulators work in the console,
`cms.console.contracts_views`): the template, whose saved versions never change (contracts drawn
from them name them), and read-only views of payments, their event ledger and payouts, for
support. Payments change only through `contracts.payments.services`."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from contracts import services
from contracts.models import ContractTemplate, Payment, PaymentEvent, Payout
from marketplace.accounts.selectors import organization_of
from marketplace.errors import DomainError
from marketplace.readonly_admin import ReadOnlyAdmin


def _is_regulator(request) -> bool:
    organization = organization_of(request.user) if request.user.is_authenticated else None
    return request.user.is_superuser or bool(organization and organization.is_regulator)


class ContractTemplateForm(forms.ModelForm):
    class Meta:
        model = ContractTemplate
        fields = ["title", "body"]

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        try:
            services.templates.check_template_body(body)
        except DomainError as exc:
            raise ValidationError(str(exc.message)) from exc
        return body


@admin.register(ContractTemplate)
class ContractTemplateAdmin(admin.ModelAdmin):
    form = ContractTemplateForm
    list_display = ["version", "title", "is_active", "created_at"]
    fields = ["title", "body", "version", "is_active", "created_at"]
    readonly_fields = ["version", "is_active", "created_at"]
    actions = ["activate"]

    def has_module_permission(self, request) -> bool:
        return _is_regulator(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return _is_regulator(request)

    def has_add_permission(self, request) -> bool:
        return _is_regulator(request)

    def has_change_permission(self, request, obj=None) -> bool:
        # Opening the form of a saved version shows it read-only; only new versions are written.
        return _is_regulator(request) and obj is None

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        if change:
            return
        saved = services.template_add(title=obj.title, body=obj.body, by=request.user)
        obj.pk, obj.version, obj.created_at = saved.pk, saved.version, saved.created_at

    @admin.action(description=_("Put the selected version in use"))
    def activate(self, request, queryset) -> None:
        if queryset.count() != 1:
            self.message_user(request, _("Select exactly one version."), messages.ERROR)
            return
        template = services.template_activate(template=queryset.get(), by=request.user)
        self.message_user(request, _("Version %(version)s is now in use.")
                          % {"version": template.version})


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["id", "contract", "provider", "status", "amount", "currency", "created_at"]
    list_filter = ["provider", "status"]
    search_fields = ["stripe_checkout_session_id", "transfer_reference", "contract__id"]
    list_select_related = ["contract"]


@admin.register(PaymentEvent)
class PaymentEventAdmin(ReadOnlyAdmin):
    list_display = ["event_id", "provider", "type", "payment", "status_before", "status_after",
                    "outcome", "received_at"]
    list_filter = ["provider", "outcome", "type"]
    search_fields = ["event_id"]


@admin.register(Payout)
class PayoutAdmin(ReadOnlyAdmin):
    list_display = ["id", "contract", "agency", "amount", "currency", "status"]
    list_filter = ["status"]
    list_select_related = ["contract", "agency"]
