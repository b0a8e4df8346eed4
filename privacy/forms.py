from allauth.core import ratelimit
from allauth.mfa.models import Authenticator
from django import forms
from django.utils.translation import gettext_lazy as _


class AccountVerwijderenForm(forms.Form):
    """Deleting an account asks for the password again, and for a code of the second factor
    when the person has one: a session left open on a shared computer is not enough."""

    password = forms.CharField(
        label=_("Je wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = forms.CharField(
        label=_("Code uit je authenticator-app"),
        required=False,
        help_text=_("De zes cijfers die je app nu toont, of een van je herstelcodes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args, user, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.request = request
        # WebAuthn keys cannot check a typed code; the portal offers TOTP and recovery codes.
        self.authenticators = list(
            Authenticator.objects.filter(user=user).exclude(type=Authenticator.Type.WEBAUTHN)
        )
        if not self.authenticators:
            del self.fields["code"]

    def clean_password(self):
        password = self.cleaned_data["password"]
        # allauth's limit on entering the password again ("reauthenticate", 10 a minute per
        # person): an open session on a shared computer cannot be used to guess it.
        if not ratelimit.consume(self.request, action="reauthenticate", user=self.user):
            raise forms.ValidationError(
                _("Te veel pogingen. Probeer het over een paar minuten nog eens."),
                code="te_vaak",
            )
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Dit wachtwoord klopt niet."), code="wachtwoord")
        return password

    def clean_code(self):
        code = self.cleaned_data["code"].replace(" ", "")
        if not code:
            raise forms.ValidationError(
                _("Vul de code uit je authenticator-app in."), code="code_ontbreekt"
            )
        if not any(
            authenticator.wrap().validate_code(code) for authenticator in self.authenticators
        ):
            raise forms.ValidationError(_("Deze code klopt niet."), code="code")
        return code
