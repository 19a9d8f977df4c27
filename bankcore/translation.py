from bankcore.catalogues import catalogue_register
from bankcore.models import OrgUnit

catalogue_register(OrgUnit, fields=("name",))
