"""The signed contract PDF for the parties and regulators, and the public verification page
(upload a PDF, see each signature; the platform's root certificate and CRL to verify offline)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from contracts import selectors
from contracts.forms import VerifyForm
from contracts.pades.verification import NOT_SIGNED_YET, verify_upload
from contracts.views import _visible
from marketplace.errors import StateConflict
from marketplace.pki.selectors import root_fingerprint
from marketplace.web import refusal_on


@login_required
@require_GET
def contract_signed_pdf(request, pk: int):
    contract = _visible(request, pk)
    content = selectors.signed_pdf_bytes(contract)
    if content is None:
        raise StateConflict(NOT_SIGNED_YET, code="contract.not_signed_digitally")
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="contract-{contract.pk}-signed.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
def verify_contract(request):
    form = VerifyForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        with refusal_on(form) as attempt:
            result = verify_upload(form.cleaned_data.get("file"))
        if not attempt.succeeded:
            result = None
    return render(request, "contracts/verify.html", {
        "form": form, "result": result, "fingerprint": root_fingerprint()},
        status=400 if request.method == "POST" and result is None else 200)
