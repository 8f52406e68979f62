from datetime import date

import factory

from keshi.org.tests.factories import PersonFactory
from keshi.records.models import Activity, ActivityKind


def kind(code: str) -> ActivityKind:
    return ActivityKind.objects.get(org=None, code=code)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    person = factory.SubFactory(PersonFactory)
    org = factory.SelfAttribute("person.org")
    kind = factory.LazyFunction(lambda: kind("observation"))
    date = date(2026, 9, 7)
    quantity = 1


def person_of(user):
    return user.person


def docx_bytes(prefix: str = "word/") -> bytes:
    """A minimal Office Open XML package (Word by default; "xl/" for Excel, "ppt/" PowerPoint)."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(f"{prefix}document.xml", "<doc/>")
    return buffer.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
JPG = b"\xff\xd8\xff\xe0" + b"\0" * 32
EXE = b"MZ\x90\x00" + b"\0" * 64
