from django import forms
from django.utils.translation import gettext_lazy as _


class SignupForm(forms.Form):
    """Extra fields of allauth's sign-up form."""

    naam = forms.CharField(
        label=_("Naam"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    field_order = ["naam", "email", "password1", "password2"]

    def signup(self, request, user):
        user.naam = self.cleaned_data["naam"]
        user.save(update_fields=["naam"])
