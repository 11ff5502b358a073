"""Every free text a person types has a limit (marketplace.limits), held in four places: the
model field, the form (`maxlength`), the API schema (`maxLength`) and the save guard. These
walk the models, the forms and the schema, so that a new field without a limit fails here."""

import datetime as dt

import pytest
from django import forms
from django.apps import apps
from django.db import models
from django.urls import get_resolver
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from rest_framework.exceptions import ValidationError
from wagtail.fields import RichTextField

from marketplace.limits import MACHINE_TEXTS, OUR_PACKAGES, TEXT_LIMITS, TextTooLong


def _ours(obj) -> bool:
    return obj.__module__.split(".")[0] in OUR_PACKAGES


def _all_subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_subclasses(sub)


def test_every_text_field_of_our_models_declares_a_limit():
    unlimited = [f"{model._meta.label}.{field.name}"
                 for model in apps.get_models() if _ours(model)
                 for field in model._meta.concrete_fields
                 if _ours(field.model)  # not Wagtail's own Page fields
                 and isinstance(field, models.TextField)
                 and not isinstance(field, RichTextField)  # Wagtail's editor, staff only
                 and not field.max_length
                 and f"{model._meta.label}.{field.name}" not in MACHINE_TEXTS]
    assert not unlimited, f"give these max_length=TEXT_LIMITS[...]: {unlimited}"


def test_every_text_input_of_our_forms_declares_a_limit():
    assert get_resolver().url_patterns  # importing every view imports every form
    unlimited = []
    for form in _all_subclasses(forms.BaseForm):
        if not _ours(form):
            continue
        for name, field in getattr(form, "base_fields", {}).items():
            if (type(field) in (forms.CharField, forms.SlugField)
                    and not isinstance(field.widget, forms.PasswordInput | forms.HiddenInput)
                    and field.max_length is None):
                unlimited.append(f"{form.__module__}.{form.__qualname__}.{name}")
    assert not unlimited, f"give these max_length (TEXT_LIMITS or the model's): {unlimited}"


def _request_strings(schema):
    components = schema["components"]["schemas"]
    for name, component in components.items():
        if not name.endswith("Request"):
            continue
        for prop, spec in component.get("properties", {}).items():
            items = [spec] + spec.get("allOf", []) + spec.get("oneOf", [])
            for item in items:
                if item.get("type") == "string" and not spec.get("readOnly"):
                    yield f"{name}.{prop}", item


# Codes looked up in the catalogue: an unknown (or absurdly long) one is refused by the lookup.
CATALOGUE_CODES = {"service_item", "region"}


def test_every_string_in_an_api_request_body_has_a_max_length():
    schema = SchemaGenerator(urlconf="marketplace.schema_urls").get_schema(request=None,
                                                                           public=True)
    unlimited = [where for where, spec in _request_strings(schema)
                 if "maxLength" not in spec and "enum" not in spec and "format" not in spec
                 and "pattern" not in spec and not where.lower().endswith("password")
                 and where.split(".")[-1] not in CATALOGUE_CODES]
    assert not unlimited, ("give these a limit (marketplace.api.fields.CharField(kind=...)): "
                           f"{unlimited}")


@pytest.mark.django_db
def test_the_save_guard_refuses_an_over_long_text_whichever_code_writes_it():
    from tests.factories.accounts import AgencyFactory

    agency = AgencyFactory()
    agency.introduction = "介" * 5000

    with pytest.raises(TextTooLong) as refused:
        agency.save()

    assert (refused.value.code, refused.value.field) == ("text.too_long", "introduction")


def test_the_limits_table_names_each_kind_once_and_sensibly():
    assert all(100 <= limit <= 50_000 for limit in TEXT_LIMITS.values())


def _our_serializers():
    from rest_framework import serializers

    assert get_resolver().url_patterns
    for serializer in _all_subclasses(serializers.Serializer):
        if _ours(serializer) and not serializer.__name__.startswith("_"):
            yield serializer


def test_every_limited_api_text_refuses_one_character_more_with_text_too_long():
    from marketplace.api.fields import CharField

    checked = 0
    for serializer in _our_serializers():
        try:
            declared = serializer().fields
        except Exception:  # noqa: BLE001 (a serializer that needs its context is not an input)
            continue
        for name, field in declared.items():
            if not isinstance(field, CharField) or field.read_only:
                continue
            field.run_validation("文" * field.max_length)
            with pytest.raises(ValidationError) as refused:
                field.run_validation("文" * (field.max_length + 1))
            assert refused.value.get_codes() == ["text.too_long"], f"{serializer}.{name}"
            checked += 1
    assert checked >= 60


@pytest.mark.django_db
def test_an_over_long_appeal_is_refused_by_the_api_and_nothing_is_written(agency, agency_admin):
    from ratings import services
    from ratings.models import BlacklistAppeal
    from tests.conftest import client_for
    from tests.factories.accounts import RegulatorFactory, member_of

    entry = services.blacklist_add(organization=agency, reason="违规", basis="决定书",
                                   source="regulator", by=member_of(RegulatorFactory()),
                                   ends_at=timezone.now() + dt.timedelta(days=365))

    response = client_for(agency_admin).post(
        f"/api/v1/blacklist/{entry.pk}/appeal/",
        {"text": "申" * (TEXT_LIMITS["statement"] + 1)}, format="multipart",
        HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response.json() == {"text": ["At most 10000 characters (this has 10001)."],
                               "code": "text.too_long"}
    assert not BlacklistAppeal.objects.exists()


@pytest.mark.django_db
def test_a_service_called_with_an_over_long_reason_writes_nothing(agency):
    from marketplace.audit.models import AuditEntry
    from ratings import services
    from ratings.models import BlacklistEntry
    from tests.factories.accounts import RegulatorFactory, member_of

    regulator = member_of(RegulatorFactory())
    entries_before = AuditEntry.objects.count()

    with pytest.raises(TextTooLong) as refused:
        services.blacklist_add(organization=agency, reason="因" * (TEXT_LIMITS["reason"] + 1),
                               basis="决定书", source="regulator", by=regulator,
                               ends_at=timezone.now() + dt.timedelta(days=365))

    assert refused.value.field == "reason"
    assert not BlacklistEntry.objects.exists()
    assert AuditEntry.objects.count() == entries_before
