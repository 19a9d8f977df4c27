from bankcore.catalogues import catalogue_register
from products.models import ParameterDefinition, Product, ProductLine, ProductTemplate

catalogue_register(ProductLine, fields=("name",))
catalogue_register(ParameterDefinition, fields=("label", "help_text"))
catalogue_register(ProductTemplate, fields=("name", "description"))
catalogue_register(Product, fields=("name", "description"))
