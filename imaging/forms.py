from django import forms
from django.utils.translation import gettext_lazy as _

# What the file chooser offers; the server judges the content whatever the browser sends.
ACCEPT = "image/jpeg,image/png,image/tiff,application/pdf,.jpg,.jpeg,.png,.tif,.tiff,.pdf"


class ImageUploadForm(forms.Form):
    owner_ref = forms.CharField(max_length=120, widget=forms.HiddenInput)
    image_type_code = forms.CharField(max_length=40, label=_("Image type"))
    subject_ref = forms.CharField(max_length=40, required=False, widget=forms.HiddenInput)
    file = forms.FileField(
        label=_("File"),
        allow_empty_file=True,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
