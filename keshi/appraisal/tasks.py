"""Background tasks (django-tasks; the database backend runs them in ``keshi db_worker``)."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django_tasks import task

from keshi.appraisal import exports, selectors
from keshi.appraisal.models import ArchiveExport
from keshi.org.models import Membership


def group_people(job: ArchiveExport):
    """Current members of the group the requester may read, in name order."""
    ids = Membership.objects.current().filter(group=job.group).values("person_id")
    return selectors.people_for(job.requested_by).filter(pk__in=ids).order_by("name", "pk")


@task()
def export_group_archives(job_id: int) -> int:
    job = ArchiveExport.objects.select_related("group", "requested_by").get(pk=job_id)
    people = list(group_people(job))
    ArchiveExport.objects.filter(pk=job.pk).update(
        status=ArchiveExport.Status.RUNNING, total=len(people), done=0
    )
    try:
        files = []
        for n, person in enumerate(people, start=1):
            archive = selectors.archive_for(job.requested_by, person)
            files.append((f"{n:03d}-{person.name}-个人档案.docx", exports.archive_docx(archive)))
            ArchiveExport.objects.filter(pk=job.pk).update(done=n)
        job.refresh_from_db()
        job.file.save(
            f"{job.group.name}-个人档案-{job.pk}.zip",
            ContentFile(exports.zip_files(files)),
            save=False,
        )
        job.status = ArchiveExport.Status.DONE
        job.save(update_fields=["file", "status"])
    except Exception as exc:  # the status page must say it failed
        ArchiveExport.objects.filter(pk=job.pk).update(
            status=ArchiveExport.Status.FAILED, error=str(exc)[:1000]
        )
        raise
    return len(people)
