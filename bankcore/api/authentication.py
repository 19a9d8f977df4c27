from rest_framework.authentication import TokenAuthentication


class BearerTokenAuthentication(TokenAuthentication):
    """`Authorization: Bearer <token>`, what most channel systems send. `Token <token>`
    (DRF's own keyword) is accepted as well."""

    keyword = "Bearer"
