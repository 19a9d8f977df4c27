from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImagingConfig(AppConfig):
    name = "imaging"
    verbose_name = _("Imaging")
    default_auto_field = "django.db.models.BigAutoField"

    # Who may see a given image is the owner app's answer (register_owner_access); these
    # permissions only say who captures evidence and who maintains the thresholds.
    role_permissions = {
        "teller": ["imaging.add_image", "imaging.view_image"],
        "branch_supervisor": ["imaging.add_image", "imaging.view_image"],
        "integrator": ["imaging.add_image", "imaging.view_image"],
        "remote_authorizer": ["imaging.view_image"],
        "manager": ["imaging.view_image"],
        "parameter_admin": [
            "imaging.view_imagetypesettings",
            "imaging.add_imagetypesettings",
            "imaging.change_imagetypesettings",
            "imaging.delete_imagetypesettings",
        ],
    }
