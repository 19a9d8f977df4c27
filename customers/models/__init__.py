"""Data of the customers app: the bank's customer master, in four layers (DOMAIN.md §3).

- **Index layer** (`Customer`): the bank-wide unique customer number, the customer type, the
  status and the home branch.
- **Basic info layer**: one flat table per customer type (`PersonalCustomer`,
  `CorporateCustomer`, `InternalCustomer`), one-to-one with the index row. A new customer
  type is a new `CustomerType` choice, a new type digit and a new basic table.
- **Classified info layer**: one model per kind of information, shared by every customer
  type, each a plain FK to `Customer` (`CustomerDocument`, `ContactChannel`, `Address`,
  `CustomerRelationship`). Adding a module is adding a model; the others do not change.
- **Extended info layer**: `ExtensionAttribute` (defined by administrators, per customer type
  or per classified module, no migration needed) and `ExtensionValue` (one row per customer
  and attribute, validated against its definition by `customers.services`).

Customer number format (`customer_no`): 12 digits, `T SSSSSSSSSS C`:
- `T`: customer-type digit (1 personal, 2 corporate, 9 internal);
- `SSSSSSSSSS`: 10-digit serial, per type, from `CustomerNumberCounter` (incremented with an
  `UPDATE … SET last_serial = last_serial + 1` inside the creating transaction, so concurrent
  creations never share a number);
- `C`: Luhn check digit over the first 11 digits (`bankcore.codes.luhn_check_digit`), so a
  mistyped digit or a swap of neighbours is refused before any lookup.
Example: `100000000016` is the first personal customer.

One module per layer: `index`, `basic`, `classified`, `extended`, and `history` (change
records, status changes). Import from `customers.models`, which names them all.
"""

from customers.models.basic import (
    CorporateCustomer,
    EconomicType,
    Gender,
    IndustryCode,
    InternalCustomer,
    PersonalCustomer,
)
from customers.models.classified import (
    Address,
    AddressKind,
    ContactChannel,
    ContactChannelKind,
    CustomerDocument,
    CustomerDocumentQuerySet,
    CustomerRelationship,
    DocumentHolderKind,
    DocumentIdentity,
    DocumentType,
    DocumentValidator,
    RelationshipKind,
)
from customers.models.extended import (
    ExtensionAttribute,
    ExtensionDataType,
    ExtensionScope,
    ExtensionValue,
)
from customers.models.history import (
    CustomerChange,
    CustomerChangeAction,
    CustomerStatusChange,
    StatusChangeState,
)
from customers.models.index import (
    COUNTRY_CODE_VALIDATOR,
    CUSTOMER_NO_LENGTH,
    CUSTOMER_NO_VALIDATOR,
    CUSTOMER_TYPE_DIGITS,
    MAX_VIP_LEVEL,
    REGION_CODE_VALIDATOR,
    Customer,
    CustomerNumberCounter,
    CustomerQuerySet,
    CustomerStatus,
    CustomerType,
    customer_no_compose,
    customer_no_is_well_formed,
)

__all__ = [
    "COUNTRY_CODE_VALIDATOR",
    "CUSTOMER_NO_LENGTH",
    "CUSTOMER_NO_VALIDATOR",
    "CUSTOMER_TYPE_DIGITS",
    "MAX_VIP_LEVEL",
    "REGION_CODE_VALIDATOR",
    "Address",
    "AddressKind",
    "ContactChannel",
    "ContactChannelKind",
    "CorporateCustomer",
    "Customer",
    "CustomerChange",
    "CustomerChangeAction",
    "CustomerDocument",
    "CustomerDocumentQuerySet",
    "CustomerNumberCounter",
    "CustomerQuerySet",
    "CustomerRelationship",
    "CustomerStatus",
    "CustomerStatusChange",
    "CustomerType",
    "DocumentHolderKind",
    "DocumentIdentity",
    "DocumentType",
    "DocumentValidator",
    "EconomicType",
    "ExtensionAttribute",
    "ExtensionDataType",
    "ExtensionScope",
    "ExtensionValue",
    "Gender",
    "IndustryCode",
    "InternalCustomer",
    "PersonalCustomer",
    "RelationshipKind",
    "StatusChangeState",
    "customer_no_compose",
    "customer_no_is_well_formed",
]
