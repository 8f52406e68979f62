from django import forms


class BootstrapMixin:
    """Give every widget Bootstrap's classes; mark invalid fields once the form is validated."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                base = "form-check-input"
            elif isinstance(widget, forms.Select):
                base = "form-select"
            else:
                base = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {base}".strip()

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
