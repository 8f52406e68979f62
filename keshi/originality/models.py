"""Fingerprinted texts, their LSH bands, the reference corpus, flags and per-org settings."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from keshi.org.models import Org, Person
from keshi.org.scoping import scoped
from keshi.records.models import Activity, Attachment

DEFAULT_THRESHOLD = 0.5


@scoped(org="org")
class OrgSettings(models.Model):
    org = models.OneToOneField(
        Org, on_delete=models.CASCADE, related_name="originality_settings", verbose_name=_("单位")
    )
    threshold = models.FloatField(
        _("标记阈值"),
        default=DEFAULT_THRESHOLD,
        validators=[MinValueValidator(0.1), MaxValueValidator(1.0)],
        help_text=_("相似度达到此值（0.1–1）的记录被标记，默认 0.5。"),
    )
    district_wide = models.BooleanField(
        _("全区比对"),
        default=False,
        help_text=_("勾选后与全区各校的记录比对，否则只与本单位比对。"),
    )

    class Meta:
        verbose_name = _("查重设置")
        verbose_name_plural = _("查重设置")

    def __str__(self) -> str:
        return f"{self.org} · {self.threshold:.2f}"


@scoped(org="org")
class CorpusText(models.Model):
    """A template text (范文) uploaded by office staff: compared with, never flagged."""

    org = models.ForeignKey(
        Org, on_delete=models.CASCADE, related_name="corpus_texts", verbose_name=_("单位")
    )
    name = models.CharField(_("文件名"), max_length=200)
    text = models.TextField(_("正文"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("范文")
        verbose_name_plural = _("范文库")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["org", "name"], name="originality_corpus_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


@scoped(org="org", person="person")
class Document(models.Model):
    """One fingerprinted text: a record's text, an uploaded attachment or a corpus text."""

    class Source(models.TextChoices):
        RECORD = "record", _("记录正文")
        ATTACHMENT = "attachment", _("附件")
        CORPUS = "corpus", _("范文")

    source = models.CharField(max_length=10, choices=Source.choices)
    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    activity = models.ForeignKey(
        Activity, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    attachment = models.OneToOneField(
        Attachment, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    corpus = models.OneToOneField(
        CorpusText, null=True, blank=True, on_delete=models.CASCADE, related_name="document"
    )
    text = models.TextField(blank=True)
    length = models.PositiveIntegerField(default=0)  # normalised characters
    score = models.FloatField(null=True, blank=True)  # of the last check; None: not checked
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["activity"],
                condition=models.Q(source="record"),
                name="originality_document_one_per_record",
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """What the check command prints as a match's source."""
        if self.source == self.Source.CORPUS:
            return self.corpus.name if self.corpus_id else f"corpus:{self.pk}"
        if self.source == self.Source.ATTACHMENT and self.attachment_id:
            return f"record:{self.activity_id}/{self.attachment.name}"
        return f"record:{self.activity_id}"


class Band(models.Model):
    """One LSH band key of one window (``part``) of a document: a check is one indexed lookup
    of (band, key) pairs. Not scoped on its own: read only through the check, which scopes the
    documents it finds."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="bands")
    part = models.PositiveSmallIntegerField(default=0)
    band = models.PositiveSmallIntegerField()
    key = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["band", "key"], name="originality_band_key")]

    def __str__(self) -> str:
        return f"{self.document_id}/{self.part}/{self.band}"


@scoped(org="activity__org", person="activity__person")
class Flag(models.Model):
    """A record whose text is at least the org's threshold similar to another text."""

    class Status(models.TextChoices):
        OPEN = "open", _("待处理")
        ACCEPTED = "accepted", _("可接受（引用）")
        CONFIRMED = "confirmed", _("确认雷同")

    activity = models.OneToOneField(
        Activity, on_delete=models.CASCADE, related_name="originality_flag", verbose_name=_("记录")
    )
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="flags")
    score = models.FloatField(_("相似度"))
    top = models.ForeignKey(
        Document, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("最相似")
    )
    matches = models.JSONField(default=list)  # [{"document": id, "similarity": s}], best first
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    reason = models.CharField(_("理由"), max_length=500, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("查重标记")
        verbose_name_plural = _("查重标记")
        ordering = ["-score", "-pk"]

    def __str__(self) -> str:
        return f"{self.activity} · {self.score:.0%}"
