"""Binding the pages' Django forms in API views, so both validate identically."""

from rest_framework.exceptions import ValidationError


def validated_form_data(form_class, data, files=None, **kwargs) -> dict:
    form = form_class(data=data, files=files, **kwargs)
    if not form.is_valid():
        raise ValidationError(
            {("non_field_errors" if field == "__all__" else field): [str(m) for m in errors]
             for field, errors in form.errors.items()}
        )
    return form.cleaned_data
