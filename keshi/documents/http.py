"""Files as downloads, named in Chinese (RFC 6266 ``filename*``, by Django's own helper)."""

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from keshi.documents.text import strip_control_chars

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(content: bytes, filename: str, content_type: str = DOCX) -> HttpResponse:
    # The name often holds a stored title: no control character or line break in a header.
    filename = " ".join(strip_control_chars(filename).split())
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
