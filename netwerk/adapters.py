"""django-allauth glue: its mails go through the outbox like every other mail, and a
verified address on an organisatie's mail domain confirms the membership of it."""

import uuid

from allauth.account.adapter import DefaultAccountAdapter
from django.template.loader import render_to_string
from django.utils import translation

from netwerk import services
from netwerk.outbox import queue_rendered_mail, recipient_language
from werkplaats import ratelimit


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        # In the language of the person of the address, not of whoever asked (a reset can be
        # asked for from anywhere); an address without an account in the asker's language.
        language = recipient_language(email, otherwise=translation.get_language())
        with translation.override(language):
            message = self.render_mail(template_prefix, email, {"email": email, **context})
        body_html = next(
            (content for content, mimetype in message.alternatives if mimetype == "text/html"),
            None,
        )
        if body_html is None:
            with translation.override(language):
                body_html = render_to_string(
                    "netwerk/mail/_plain_as_html.html", {"text": message.body}
                )
        # Every account mail is its own event (a second reset request deserves a second
        # mail), so its key is unique per call.
        queue_rendered_mail(
            key=f"account:{template_prefix.rsplit('/', 1)[-1]}:{uuid.uuid4()}",
            to=email,
            subject=message.subject,
            body_text=message.body,
            body_html=body_html,
        )

    def confirm_email(self, request, email_address):
        verified = super().confirm_email(request, email_address)
        if verified:
            services.confirm_by_maildomein(persoon=email_address.user)
        return verified

    def get_client_ip(self, request):
        """The client allauth's limits count: the same as werkplaats.ratelimit's, from the
        one trusted header (the last address of a list), an IPv6 client as its /64. allauth's
        own reading refused a list of addresses with a 403."""
        return ratelimit.client_address(request)
