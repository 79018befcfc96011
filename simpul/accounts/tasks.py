"""Background work of accounts: the e-mails that carry password links."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task

from .models import User

PURPOSES = ("invitation", "reset")


def password_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.SITE_URL + reverse("accounts:password-set", kwargs={"uidb64": uid, "token": token})


@task()
def send_account_link(user_id: int, purpose: str) -> bool:
    """E-mail a person the link to set their password. Returns False if there is nobody to mail.

    Safe to run twice: the second mail carries a link that works just as well.
    """
    if purpose not in PURPOSES:
        raise ValueError(f"unknown purpose {purpose!r}")
    user = User.objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    if user is None:
        return False
    context = {
        "user": user,
        "link": password_link(user),
        "site_url": settings.SITE_URL,
        "valid_days": settings.PASSWORD_RESET_TIMEOUT // 86400,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"accounts/email/{purpose}_subject.txt", context).strip()
        body = render_to_string(f"accounts/email/{purpose}_body.txt", context)
    send_mail(subject, body, None, [user.email])
    return True
