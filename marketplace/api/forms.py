"""Binding the pages' Django forms in API views, so both validate identically."""

from rest_framework.exceptions import ErrorDetail, ValidationError


def validated_form_data(form_class, data, files=None, **kwargs) -> dict:
    """The form's cleaned data, or DRF's 400 with its field errors (each keeping its code, so
    a shared check's code such as `date.out_of_range` reaches the API's `code`)."""
    form = form_class(data=data, files=files, **kwargs)
    if not form.is_valid():
        raise ValidationError(
            {("non_field_errors" if field == "__all__" else field):
             [ErrorDetail(str(message), code=error.code or "invalid")
              for error in errors for message in error]
             for field, errors in form.errors.as_data().items()}
        )
    return form.cleaned_data
