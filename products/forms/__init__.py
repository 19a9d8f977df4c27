"""Forms of the product factory pages and account opening, one module per page family; this
package names the public surface and nothing else."""

from products.forms.catalogue import (
    ParameterDefinitionEditForm,
    ParameterDefinitionForm,
    choices_text,
)
from products.forms.design import (
    BOUND_LABELS,
    LEVEL_CHOICES,
    ProductCopyForm,
    ProductCreateForm,
    ProductDesignForm,
    TemplateEditForm,
)
from products.forms.opening import PARAMETER_PREFIX, AccountOpenForm, opening_parameter_field
from products.forms.widgets import (
    TERM_UNITS,
    BootstrapForm,
    CheckList,
    PairWidget,
    money_widget,
    term_widget,
    value_widget,
)

__all__ = [
    "BOUND_LABELS",
    "LEVEL_CHOICES",
    "PARAMETER_PREFIX",
    "TERM_UNITS",
    "AccountOpenForm",
    "BootstrapForm",
    "CheckList",
    "PairWidget",
    "ParameterDefinitionEditForm",
    "ParameterDefinitionForm",
    "ProductCopyForm",
    "ProductCreateForm",
    "ProductDesignForm",
    "TemplateEditForm",
    "choices_text",
    "money_widget",
    "opening_parameter_field",
    "term_widget",
    "value_widget",
]
