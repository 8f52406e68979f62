from django.core.files.uploadedfile import SimpleUploadedFile

from keshi.org.models import Person
from keshi.research import services

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "申报书.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def person(user) -> Person:
    return Person.objects.get(user=user)


def project(cast, *, status_public: bool = False, level: str = "school", **kwargs):
    """A 校级 project led by 张老师 with 李老师 as member (立项 when ``status_public``)."""
    p = services.create_project(
        org=cast.school,
        title=kwargs.pop("title", "初中语文整本书阅读教学研究"),
        level=level,
        leader=person(cast.teacher),
        members=[person(cast.other_teacher)],
        **kwargs,
    )
    if status_public:
        advance(p, cast.office if level == "school" else cast.district)
    return p


def advance(p, reviewer) -> None:
    """Upload the current stage's documents and approve it."""
    stage = p.stages.order_by("-pk").first()
    files = [(label, f"{label}.pdf", PDF, "application/pdf") for label in stage.required_documents]
    services.submit_documents(stage=stage, files=files, by=reviewer)
    services.review_stage(stage=stage, decision="passed", comment="", by=reviewer)
    p.refresh_from_db()
