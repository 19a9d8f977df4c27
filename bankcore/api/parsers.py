"""JSON request bodies, read in one go.

DRF's JSONParser decodes through a codecs stream reader, which costs more than the decoding on
the small bodies channel systems send at high rates. This parser reads the body and decodes it
at once; it is as strict (NaN and Infinity refused) and answers the same ParseError.

It is the API's only parser by default (REST_FRAMEWORK's DEFAULT_PARSER_CLASSES): a view that
takes uploads opts in with `parser_classes = UPLOAD_PARSERS`. A body nested deeper than the
decoder's recursion limit (a couple of kilobytes of brackets) is a ParseError, not a crash.
"""

import json

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser as DRFJSONParser
from rest_framework.parsers import MultiPartParser
from rest_framework.utils.json import strict_constant


class JSONParser(DRFJSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", "utf-8")
        try:
            raw = stream.read() if stream is not None else b""
            return json.loads(raw.decode(encoding), parse_constant=strict_constant)
        except (ValueError, UnicodeDecodeError) as exc:
            raise ParseError(f"JSON parse error - {exc}") from exc
        except RecursionError:
            raise ParseError("JSON parse error - the body is nested too deeply.") from None


# What an upload endpoint (images of evidence) declares: files in multipart bodies, and JSON.
UPLOAD_PARSERS = [MultiPartParser, JSONParser]
