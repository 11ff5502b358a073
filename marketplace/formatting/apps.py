from django.apps import AppConfig


class FormattingConfig(AppConfig):
    name = "marketplace.formatting"
    label = "formatting"
