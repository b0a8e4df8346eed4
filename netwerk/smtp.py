"""The SMTP backend the portal sends through: Django's, which also knows whether the server
had the whole message when the conversation broke off.

Once a message's data has gone out up to its closing dot, only the server's answer is
missing; a server that then hangs past EMAIL_TIMEOUT or drops the connection may well have
accepted it (RFC 1047). Sending it again could deliver it twice, so the outbox and the
nieuwsbrief record such a mail as onbekend (`netwerk.outbox.classify_delivery`), where a
failure before the closing dot stays a temporary failure that is tried again.
Found by the fault suite's scenario 2 (tests/faults/test_outbox_faults.py).
"""

import smtplib

from django.core.mail.backends.smtp import EmailBackend as DjangoSmtpBackend

END_OF_DATA = b"\r\n.\r\n"


class _HandOverTracking:
    """For smtplib.SMTP and SMTP_SSL: `handed_over` is True from the moment the current
    message's data, closing dot included, was written to the server."""

    handed_over = False
    _in_data = False

    def mail(self, *args, **kwargs):
        self.handed_over = False  # a new message
        return super().mail(*args, **kwargs)

    def data(self, msg):
        self._in_data = True
        try:
            return super().data(msg)
        finally:
            self._in_data = False

    def send(self, s):
        super().send(s)
        if self._in_data and isinstance(s, bytes) and s.endswith(END_OF_DATA):
            self.handed_over = True


class TrackingSMTP(_HandOverTracking, smtplib.SMTP):
    pass


class TrackingSMTP_SSL(_HandOverTracking, smtplib.SMTP_SSL):
    pass


class EmailBackend(DjangoSmtpBackend):
    @property
    def connection_class(self):
        return TrackingSMTP_SSL if self.use_ssl else TrackingSMTP


def handed_over(backend) -> bool:
    """Whether the backend's current message reached the server whole (its answer pending)."""
    return bool(getattr(getattr(backend, "connection", None), "handed_over", False))
