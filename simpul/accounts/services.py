"""Every write to accounts: one transaction, the policy check, history and audit.

New accounts get no password: the person receives an e-mail with a link to
set their own (the same link serves a forgotten password), so no password
ever travels through an administrator.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from simpul.core.audit import audit_event_record
from simpul.core.models import AuditAction

from . import policy
from .models import User
from .policy import Action
from .tasks import send_account_link

USER_FIELDS = (
    "username",
    "full_name",
    "email",
    "phone",
    "role",
    "scope_province",
    "scope_regency",
    "scope_center",
    "is_active",
)
SCOPE_IDS = ("scope_province_id", "scope_regency_id", "scope_center_id")


def _apply(user: User, fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(USER_FIELDS) - set(SCOPE_IDS)
    if unknown:
        raise ValueError(f"unknown user fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(user, name, value if value is not None or name.startswith("scope_") else "")


def user_create(*, actor: User, request: HttpRequest | None = None, **fields: Any) -> User:
    """Create an account and e-mail the person a link to set their password."""
    with transaction.atomic():
        user = User()
        _apply(user, {"is_active": True, **fields})
        policy.require(actor, Action.CREATE, user)
        if not user.email:
            raise ValidationError({"email": _("Surel wajib diisi: tautan untuk membuat kata sandi dikirim ke sana.")})
        user.set_unusable_password()
        user.full_clean()
        user._history_user = actor  # type: ignore[attr-defined]
        user.save()
        audit_event_record(action=AuditAction.USER_INVITED, actor=actor, target=user, request=request)
        transaction.on_commit(partial(send_account_link.enqueue, user_id=user.pk, purpose="invitation"))
    return user


def user_update(*, actor: User, user_id: Any, **fields: Any) -> User:
    with transaction.atomic():
        user = policy.get_or_404(actor, User.objects.select_for_update(), Action.CHANGE, pk=user_id)
        if user.pk == actor.pk:
            if fields.get("is_active") is False:
                raise ValidationError({"is_active": _("Anda tidak dapat menonaktifkan akun Anda sendiri.")})
            if "role" in fields and fields["role"] != user.role:
                raise ValidationError({"role": _("Anda tidak dapat mengubah peran akun Anda sendiri.")})
        _apply(user, fields)
        if not user.email:
            raise ValidationError({"email": _("Surel wajib diisi.")})
        user.full_clean()
        user._history_user = actor  # type: ignore[attr-defined]
        user.save()
    return user


def user_send_password_link(*, actor: User, user_id: Any, request: HttpRequest | None = None) -> User:
    """An administrator sends a person a fresh link to set their password."""
    with transaction.atomic():
        user = policy.get_or_404(actor, User.objects.all(), Action.CHANGE, pk=user_id)
        if not user.is_active or not user.email:
            raise ValidationError(_("Akun ini nonaktif atau tidak punya surel."))
        audit_event_record(action=AuditAction.PASSWORD_RESET_REQUESTED, actor=actor, target=user, request=request)
        transaction.on_commit(partial(send_account_link.enqueue, user_id=user.pk, purpose="reset"))
    return user


def password_reset_request(*, email: str, request: HttpRequest | None = None) -> int:
    """Someone asks for a password link by e-mail address.

    The answer on screen never says whether the address exists; the mail goes
    only to active accounts with that address.
    """
    with transaction.atomic():
        users = list(User.objects.filter(email__iexact=email.strip(), is_active=True))
        for user in users:
            audit_event_record(
                action=AuditAction.PASSWORD_RESET_REQUESTED, username=user.username, target=user, request=request
            )
            transaction.on_commit(partial(send_account_link.enqueue, user_id=user.pk, purpose="reset"))
    return len(users)


def password_set(*, user: User, password: str, request: HttpRequest | None = None) -> None:
    """Set a person's own password (from the e-mailed link or the account page)."""
    validate_password(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        audit_event_record(action=AuditAction.PASSWORD_CHANGED, actor=user, target=user, request=request)
