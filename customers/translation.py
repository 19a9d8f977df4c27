from bankcore.catalogues import catalogue_register
from customers.models import DocumentType, ExtensionAttribute, IndustryCode

catalogue_register(DocumentType, fields=("name",))
catalogue_register(IndustryCode, fields=("name",))
catalogue_register(ExtensionAttribute, fields=("label",))
