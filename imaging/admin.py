from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Image, ImageEvent, ImageTypeSettings
from .quality import quality_message
from .reuse import reuse_message


@admin.register(ImageTypeSettings)
class ImageTypeSettingsAdmin(admin.ModelAdmin):
    list_display = (
        "image_type_code",
        "min_long_side",
        "min_short_side",
        "min_sharpness",
        "min_brightness",
        "max_brightness",
        "min_contrast",
        "retention_days",
    )
    search_fields = ("image_type_code",)
    ordering = ("image_type_code",)


class ImageEventInline(admin.TabularInline):
    model = ImageEvent
    extra = 0
    can_delete = False
    fields = ("kind", "occurred_at", "note")
    readonly_fields = fields
    ordering = ("occurred_at", "pk")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    """Images per owner, their state, quality results and derivatives (read-only: images
    change only through the intake pipeline)."""

    list_display = (
        "public_id",
        "owner_ref",
        "image_type_code",
        "state",
        "uploaded_by",
        "uploaded_at",
    )
    list_filter = ("state", "image_type_code", "content_format")
    search_fields = ("owner_ref", "public_id", "subject_ref", "content_sha256")
    ordering = ("-uploaded_at", "-pk")
    list_select_related = ("uploaded_by",)
    inlines = [ImageEventInline]
    readonly_fields = (
        "thumbnail",
        "quality_results",
        "reuse_results",
        *(field.name for field in Image._meta.fields),
    )
    exclude = ("quality_flags", "reuse_flags")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("thumbnail"))
    def thumbnail(self, image: Image) -> str:
        if not image.thumbnail_key:
            return "—"
        from django.urls import reverse

        return format_html(
            '<img src="{}" alt="" style="max-width:320px">',
            reverse("imaging:image-thumbnail", args=[image.public_id]),
        )

    @admin.display(description=_("quality"))
    def quality_results(self, image: Image) -> str:
        return "; ".join(quality_message(flag) for flag in image.quality_flags) or "—"

    @admin.display(description=_("reuse"))
    def reuse_results(self, image: Image) -> str:
        return "; ".join(reuse_message(flag) for flag in image.reuse_flags) or "—"


@admin.register(ImageEvent)
class ImageEventAdmin(admin.ModelAdmin):
    """Every image's trail across images (read-only: written by the intake pipeline)."""

    list_display = ("image", "kind", "occurred_at", "note")
    list_filter = ("kind",)
    search_fields = ("image__public_id", "image__owner_ref")
    ordering = ("-occurred_at", "-pk")
    list_select_related = ("image",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
