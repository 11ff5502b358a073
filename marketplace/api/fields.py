"""API input fields with the checks every serializer shares (`marketplace.dates`)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import MaxLengthValidator
from rest_framework import serializers

from marketplace.dates import validate_date_in_range
from marketplace.limits import TEXT_LIMITS, TextLimitValidator
from marketplace.numbers import normalize_number_input


class DateTimeField(serializers.DateTimeField):
    """A date-time input within the years people may type (400 otherwise, never a 500)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators.append(validate_date_in_range)

    def enforce_timezone(self, value):
        # Before the time-zone arithmetic, which overflows for year 1 (DRF does not catch it).
        try:
            validate_date_in_range(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages, code=error.code) from None
        return super().enforce_timezone(value)


class DateField(serializers.DateField):
    """A date input within the years people may type."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators.append(validate_date_in_range)


class DecimalField(serializers.DecimalField):
    """A decimal input that reads full-width digits (`１２３４５` is 12345), as the pages do."""

    def to_internal_value(self, data):
        return super().to_internal_value(normalize_number_input(data))


class IntegerField(serializers.IntegerField):
    """An integer input that reads full-width digits, as the pages do."""

    def to_internal_value(self, data):
        return super().to_internal_value(normalize_number_input(data))


class CharField(serializers.CharField):
    """A text input held to its limit (`marketplace.limits.TEXT_LIMITS[kind]`, or `max_length`)
    with the services' message and code (`text.too_long`), and `maxLength` in the schema."""

    def __init__(self, *, kind: str | None = None, **kwargs):
        if kind is not None:
            kwargs.setdefault("max_length", TEXT_LIMITS[kind])
        super().__init__(**kwargs)
        if self.max_length is not None:
            self.validators = [validator for validator in self.validators
                               if type(validator) is not MaxLengthValidator]
            self.validators.append(TextLimitValidator(self.max_length))
