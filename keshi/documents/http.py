"""Files as downloads, named in Chinese (RFC 6266 ``filename*``, by Django's own helper)."""

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from keshi.documents.text import strip_control_chars

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(content: bytes, filename: str, content_type: str = DOCX) -> HttpResponse:
    # The name often holds a stored title: no control character or line break in a header.
    filename = " ".join(strip_control_chars(filename).split())
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def stored_file(file: FieldFile, filename: str, content_type: str = "") -> FileResponse:
    """An uploaded file as a download; a file gone from storage is a 404 that says so."""
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise Http404(_("文件已丢失。")) from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type=content_type or "application/octet-stream",
    )
