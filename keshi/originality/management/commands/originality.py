"""keshi originality index-corpus DIR [--org CODE] | check FILE [--org CODE] [--format json]

Run by the server's administrator: the whole database is in reach, narrowed by ``--org``
to what a text of that org is compared with."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from keshi.org.models import Org
from keshi.originality import services
from keshi.originality.extract import extract_text, is_text_file
from keshi.originality.search import as_json, compare


class Command(BaseCommand):
    help = "查重：导入范文库（index-corpus）或检查一个文件（check）。"

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        corpus = sub.add_parser("index-corpus", help="把文件夹中的 .txt/.docx 范文加入范文库")
        corpus.add_argument("folder")
        corpus.add_argument("--org", help="范文库所属单位代码（默认：最上级单位）")
        corpus.add_argument("--workers", type=int, default=2, help="计算指纹的进程数")
        check = sub.add_parser("check", help="检查一个 .txt/.docx 文件")
        check.add_argument("file")
        check.add_argument("--org", help="按该单位的比对范围检查（默认：全部）")
        check.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, **options) -> None:
        org = self._org(options.get("org"), default_root=options["action"] == "index-corpus")
        if options["action"] == "index-corpus":
            self._index_corpus(Path(options["folder"]), org, options["workers"])
        else:
            self._check(Path(options["file"]), org, options["format"])

    def _org(self, code: str | None, *, default_root: bool) -> Org | None:
        if code:
            org = Org.objects.filter(code=code).first()
            if org is None:
                raise CommandError(f"没有代码为 {code} 的单位")
            return org
        if not default_root:
            return None
        roots = list(Org.objects.filter(parent__isnull=True)[:2])
        if len(roots) != 1:
            raise CommandError("请用 --org 指定范文库所属单位")
        return roots[0]

    def _index_corpus(self, folder: Path, org: Org, workers: int) -> None:
        if not folder.is_dir():
            raise CommandError(f"{folder} 不是文件夹")
        items, skipped = [], []
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and is_text_file(p.name)):
            name = str(path.relative_to(folder))
            try:
                items.append((name, extract_text(name, path.read_bytes())))
            except (OSError, ValueError) as exc:
                skipped.append((name, str(exc)))
        done, too_short = services.add_corpus_texts(org=org, items=items, workers=workers)
        for name, why in skipped + too_short:
            self.stderr.write(f"跳过 {name}：{why}")
        failed = len(skipped) + len(too_short)
        self.stdout.write(f"已加入范文库（{org.name}）：{done} 个文件，跳过 {failed} 个")

    def _check(self, path: Path, org: Org | None, fmt: str) -> None:
        try:
            text = extract_text(path.name, path.read_bytes())
        except (OSError, ValueError) as exc:
            raise CommandError(f"无法读取 {path}：{exc}") from None
        result = compare(text, org=org, with_passages=True)
        data = as_json(text, result)
        if fmt == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        self.stdout.write(f"相似度 {data['score']:.0%}")
        for match in data["matches"]:
            self.stdout.write(f"  {match['source']}：{match['similarity']:.0%}")
            for passage in match["passages"][:5]:
                self.stdout.write(f"    「{passage['text'][:60]}」↔「{passage['other'][:60]}」")
