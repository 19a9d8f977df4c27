"""Quality checks that spare the remote authorizer a "return for supplement".

Measurements are stored with each image; the flags are computed from them and the
thresholds of its image type (ImageTypeSettings, editable in the admin; the model's field
defaults when a type has no row). Messages are made when read, in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from django.utils.translation import gettext_lazy as _

from .models import ImageTypeSettings

QUALITY_MESSAGES = {
    "too_small": _("Too small for its type: %(value)s px (at least %(threshold)s px)."),
    "blurred": _("Looks blurred: sharpness %(value)s (at least %(threshold)s expected)."),
    "too_dark": _("Too dark: brightness %(value)s (at least %(threshold)s expected)."),
    "over_exposed": _("Over-exposed: brightness %(value)s (at most %(threshold)s expected)."),
    "nearly_blank": _("Nearly blank page: contrast %(value)s (at least %(threshold)s expected)."),
}


@dataclass(frozen=True, slots=True)
class Thresholds:
    min_long_side: int
    min_short_side: int
    min_sharpness: float
    min_brightness: float
    max_brightness: float
    min_contrast: float
    retention_days: int | None


def thresholds_for(image_type_code: str) -> Thresholds:
    """The thresholds of `image_type_code`: its settings row, or the defaults."""
    row = ImageTypeSettings.objects.filter(image_type_code=image_type_code).first()
    if row is None:
        row = ImageTypeSettings(image_type_code=image_type_code)  # field defaults
    return Thresholds(**{field.name: getattr(row, field.name) for field in fields(Thresholds)})


def quality_flags(
    *,
    width: int,
    height: int,
    sharpness: float,
    brightness: float,
    contrast: float,
    thresholds: Thresholds,
    is_document_render: bool = False,
) -> list[dict]:
    """Every failed check as {"code", "value", "threshold"} (stored as JSON)."""
    flags = []
    long_side, short_side = max(width, height), min(width, height)
    if not is_document_render:  # a rendered PDF page has the size we rendered it at
        if long_side < thresholds.min_long_side:
            flags.append(_flag("too_small", long_side, thresholds.min_long_side))
        elif short_side < thresholds.min_short_side:
            flags.append(_flag("too_small", short_side, thresholds.min_short_side))
    if brightness < thresholds.min_brightness:
        # A dark picture has little contrast too; being dark is the reason to give.
        flags.append(_flag("too_dark", brightness, thresholds.min_brightness))
    elif contrast < thresholds.min_contrast:
        # A blank page is also "blurred" and maybe "over-exposed"; one reason is enough.
        flags.append(_flag("nearly_blank", contrast, thresholds.min_contrast))
        return flags
    elif brightness > thresholds.max_brightness:
        flags.append(_flag("over_exposed", brightness, thresholds.max_brightness))
    if sharpness < thresholds.min_sharpness:
        flags.append(_flag("blurred", sharpness, thresholds.min_sharpness))
    return flags


def _flag(code: str, value: float, threshold: float) -> dict:
    shown = value if isinstance(value, int) else round(float(value), 1)
    return {"code": code, "value": shown, "threshold": threshold}


def quality_message(flag: dict) -> str:
    template = QUALITY_MESSAGES.get(flag.get("code", ""))
    if template is None:
        return str(flag.get("code", ""))
    return str(template) % {"value": flag.get("value"), "threshold": flag.get("threshold")}
