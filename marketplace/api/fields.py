"""API input fields with the checks every serializer shares (`marketplace.dates`)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from marketplace.dates import validate_date_in_range
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
