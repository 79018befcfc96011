"""Uploaded files, checked by their content (never their name), size-limited; photos re-encoded.

Shared by every upload: report evidence, mentoring attachments, product photos.
What a file *is* comes from its first bytes (`filetype`), so a renamed
executable is refused whatever it is called. Photos go further: Pillow must
read them whole, a picture too large once decoded (a decompression bomb) is
refused before its pixels are loaded, and what is stored is our own
re-encoding, so nothing hidden in the original (scripts, GPS position in
EXIF) reaches another person.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import filetype
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .formats import format_number

# Photos and PDF: what evidence and mentoring attachments may be.
PHOTO_TYPES: dict[str, str] = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
EVIDENCE_TYPES: dict[str, str] = {**PHOTO_TYPES, "application/pdf": "pdf"}
# A phone photo is about 12 megapixels; anything beyond this is refused unread.
MAX_PHOTO_PIXELS = 40_000_000


def detect(content: bytes, allowed: Mapping[str, str]) -> str | None:
    """The MIME type the content really has, if it is one of `allowed`."""
    kind = filetype.guess(content[:8192])
    if kind is None or kind.mime not in allowed:
        return None
    if kind.mime == "application/pdf" and b"%%EOF" not in content[-2048:]:
        return None  # a PDF header on something that is not a whole PDF
    return str(kind.mime)


def _too_big(limit: int) -> str:
    return _("Berkas terlalu besar: paling besar %(mb)s MB.") % {"mb": format_number(limit // 2**20)}


def read_upload(upload: Any, *, max_bytes: int, field: str = "file") -> bytes:
    """The whole content of an upload, or a ValidationError (on `field`) when it is empty or too big.

    Reads at most one byte more than allowed, so an oversized upload is never held in memory whole.
    """
    if (getattr(upload, "size", 0) or 0) > max_bytes:
        raise ValidationError({field: _too_big(max_bytes)})
    content = upload.read(max_bytes + 1)
    if not content:
        raise ValidationError({field: _("Berkas kosong.")})
    if len(content) > max_bytes:
        raise ValidationError({field: _too_big(max_bytes)})
    return bytes(content)


def checked_file(upload: Any, *, allowed: Mapping[str, str], max_bytes: int, field: str = "file") -> tuple[bytes, str]:
    """Content and real MIME type of an upload that must be one of `allowed` (photo or PDF)."""
    content = read_upload(upload, max_bytes=max_bytes, field=field)
    mime = detect(content, allowed)
    if mime is None:
        if "application/pdf" in allowed:
            message = _("Isi berkas bukan foto (JPEG, PNG, WebP) atau PDF, apa pun nama berkasnya.")
        else:
            message = _("Isi berkas bukan foto (JPEG, PNG, WebP), apa pun nama berkasnya.")
        raise ValidationError({field: message})
    return content, mime


@dataclass(frozen=True)
class EncodedPhoto:
    content: bytes  # JPEG
    width: int
    height: int


def reencoded_photo(
    content: bytes,
    *,
    max_side: int = 1600,
    max_pixels: int = MAX_PHOTO_PIXELS,
    field: str = "image",
) -> EncodedPhoto:
    """A photo checked whole and re-encoded as JPEG (at most `max_side` pixels a side, no metadata).

    Refuses anything Pillow cannot read whole, and any picture whose size once
    decoded exceeds `max_pixels`, before decoding it.
    """
    not_a_photo = ValidationError({field: _("Isi berkas bukan foto (JPEG, PNG, WebP), apa pun nama berkasnya.")})
    too_big = ValidationError(
        {field: _("Foto terlalu besar: paling banyak %(mp)s megapiksel.") % {"mp": max_pixels // 1_000_000}}
    )
    if detect(content, PHOTO_TYPES) is None:
        raise not_a_photo
    try:
        with warnings.catch_warnings():
            # Pillow's own bomb guard warns, then refuses; both count as "too big" here.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as probe:
                width, height = probe.size  # read from the header, nothing decoded yet
                if width < 1 or height < 1:
                    raise not_a_photo
                if width * height > max_pixels:
                    raise too_big
                probe.verify()
            # verify() leaves the image unusable: open again to decode it.
            with Image.open(io.BytesIO(content)) as image:
                image.load()
                picture = ImageOps.exif_transpose(image)
                picture.thumbnail((max_side, max_side))
                if picture.mode not in ("RGB", "L"):
                    background = Image.new("RGB", picture.size, "white")
                    rgba = picture.convert("RGBA")
                    background.paste(rgba, mask=rgba.getchannel("A"))
                    picture = background
                out = io.BytesIO()
                picture.save(out, format="JPEG", quality=85, optimize=True)
                size = picture.size
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_big from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
        raise not_a_photo from None
    return EncodedPhoto(out.getvalue(), *size)
