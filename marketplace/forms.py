"""Form helpers shared by every app's pages."""

from django import forms

from marketplace.dates import bound_date_field
from marketplace.numbers import fold_number_field

DJANGO_SELECT = ("django/forms/widgets/select.html", "django/forms/widgets/select_option.html")


def inline_options(widget: forms.Select) -> None:
    """Render a plain select's options in its own template (the same HTML as Django's): not
    two template includes per option, for the long lists of items and regions."""
    if (widget.template_name, widget.option_template_name) == DJANGO_SELECT:
        widget.template_name = "formatting/widgets/select.html"


class StyledFormMixin:
    """Bootstrap classes and accessible error hints on every widget; every date input held to
    the years people may type (`marketplace.dates`); every number input reads full-width
    digits (`marketplace.numbers`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DateField | forms.DateTimeField):
                bound_date_field(field)
            elif isinstance(field, forms.IntegerField):  # Decimal and Float fields too
                fold_number_field(field)
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple |
                          forms.RadioSelect):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
                inline_options(widget)
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
                widget.attrs["aria-invalid"] = "true"
