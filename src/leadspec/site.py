"""Build the playbook with MkDocs, all or nothing: a failed build leaves the old site."""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException


class SiteError(Exception):
    """MkDocs refused the build (a warning in strict mode, a plugin or config error)."""


def build_site(config_file: Path, site_dir: Path) -> None:
    """Build into a temporary folder beside `site_dir`, then swap it into place."""
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".site-", dir=site_dir.parent))
    try:
        with _problems() as problems:
            config = load_config(config_file=str(config_file), site_dir=str(staging), strict=True)
            try:
                build(config)
            except (MkDocsException, SystemExit) as exc:  # mkdocs-macros exits on a bad macro
                raise SiteError("\n".join(problems) or str(exc)) from None
            finally:
                config.plugins.on_shutdown()
        _swap(staging, site_dir)
    except MkDocsException as exc:  # the configuration itself is invalid
        raise SiteError(str(exc)) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _swap(staging: Path, site_dir: Path) -> None:
    """Put the new site in place by renames; the old one is removed only once it is out."""
    if not site_dir.exists():
        staging.rename(site_dir)
        return
    old = staging.with_name(staging.name + "-old")
    site_dir.rename(old)
    try:
        staging.rename(site_dir)
    finally:
        if not site_dir.exists():
            old.rename(site_dir)
        shutil.rmtree(old, ignore_errors=True)


@contextmanager
def _problems() -> Iterator[list[str]]:
    """Collect what MkDocs logs as warnings and errors, to say why a build failed."""
    messages: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            messages.append(record.getMessage())

    handler = Collect(logging.WARNING)
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        yield messages
    finally:
        logger.removeHandler(handler)
