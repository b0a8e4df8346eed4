"""allauth's sign-up and password-reset forms, made to do the same work for an address with
an account as for one without, so their timing tells nobody which addresses have one
(ASVS 2.x, issue 18 M1 and L4). settings.ACCOUNT_FORMS names them.

Sign-up: for a new address allauth hashes the password and saves the account; for a known
one it only mails the owner. Hashing costs far more than everything else in the request,
so a known address has its password hashed too (and thrown away). Both queue one mail.

Password reset: the request only checks the address and hands it to a Celery task
(`netwerk.tasks.send_password_reset`), for every address alike; the task looks up the
account and renders and queues the mail, outside the request. (On the embedded default
Celery runs its tasks in the calling process, so there the difference stays in the
request; production runs them in a worker.)
"""

from urllib.parse import quote

from allauth.account import forms as allauth_forms
from allauth.account.adapter import get_adapter
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.urls import reverse
from django.utils import translation


class SignupForm(allauth_forms.SignupForm):
    def try_save(self, request):
        if self.account_already_exists:
            # The hash a new account gets, made and thrown away.
            make_password(self.cleaned_data.get("password1"))
        return super().try_save(request)


class ResetPasswordForm(allauth_forms.ResetPasswordForm):
    def clean_email(self) -> str:
        # allauth looks up the accounts here; the task does, so the request does not.
        self.users = []
        return get_adapter().clean_email(self.cleaned_data["email"].lower())

    def save(self, request, **kwargs) -> str:
        from netwerk.tasks import send_password_reset

        email = self.cleaned_data["email"]
        language = translation.get_language()
        transaction.on_commit(lambda: send_password_reset.delay(email, language), robust=True)
        return email


def send_password_reset_mail(*, email: str, language: str) -> int:
    """Queue a password-reset mail for each active account of `email`; none for an address
    without one (the portal mails no strangers on request). Returns how many were queued."""
    users = allauth_forms.filter_users_by_email(
        email, is_active=True, prefer_verified=True, for_login=True
    )
    adapter = get_adapter()
    path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
    tokens = allauth_forms.default_token_generator
    with translation.override(language or settings.LANGUAGE_CODE):
        for user in users:
            key = f"{user_pk_to_url_str(user)}-{tokens.make_token(user)}"
            url = settings.SITE_URL + path.replace("UID-KEY", quote(key))
            adapter.send_password_reset_mail(user, email, {"user": user, "password_reset_url": url})
    return len(users)
