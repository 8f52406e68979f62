from django import forms


class BootstrapMixin:
    """Give every widget Bootstrap's classes, marking invalid fields."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            base = (
                "form-check-input"
                if isinstance(widget, forms.CheckboxInput)
                else ("form-select" if isinstance(widget, forms.Select) else "form-control")
            )
            if self.is_bound and name in self.errors:
                base += " is-invalid"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {base}".strip()
