"""The wheel's build step: the reference process goes in as `leadspec/reference/`.

It lives at the top of the repository, where `make demo` and the tests use it, and
outside the package, so package data alone cannot carry it. An editable install
needs no copy: `leadspec.starter` reads the repository itself.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
# NOTE: what leadspec.starter's PARTS and CONFIG read; the build cannot import the package.
REFERENCE = ("process", "stages", "definitions", "checks", "docs/job-aids", "docs/service-levels.md", "mkdocs.yml")


class BuildWithReference(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        target = Path(self.build_lib) / "leadspec" / "reference"
        shutil.rmtree(target, ignore_errors=True)
        for part in REFERENCE:
            source, copy = ROOT / part, target / part
            copy.parent.mkdir(parents=True, exist_ok=True)
            if source.is_dir():
                shutil.copytree(source, copy, ignore=shutil.ignore_patterns("releases", "__pycache__"))
            else:
                shutil.copy2(source, copy)


setup(cmdclass={"build_py": BuildWithReference})
