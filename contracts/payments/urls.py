"""Payment pages (the payments section of the contract page posts here) and the agency's
Stripe Connect page; included by marketplace/urls.py under the "payments" namespace."""

from django.urls import path

from contracts.payments import views

app_name = "payments"

urlpatterns = [
    path("workspace/contracts/<int:pk>/payments/", views.contract_payments, name="contract"),
    path("workspace/contracts/<int:pk>/payments/start/", views.payment_start, name="start"),
    path("workspace/payments/<int:pk>/record/", views.payment_record, name="record"),
    path("workspace/payments/<int:pk>/confirm/", views.payment_confirm, name="confirm"),
    path("workspace/payments/<int:pk>/withdraw/", views.payment_withdraw, name="withdraw"),
    path("workspace/payments/<int:pk>/dispute/", views.payment_dispute, name="dispute"),
    path("workspace/payments/<int:pk>/resolve/", views.payment_resolve, name="resolve"),
    path("workspace/stripe/", views.stripe_connect, name="stripe_connect"),
    path("workspace/stripe/return/", views.stripe_connect_return, name="stripe_connect_return"),
]
