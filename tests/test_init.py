"""`leadspec init`: a folder that validates and builds at once, never written over.

`started` is the reference process renamed for a company; the minimal draft is
tried for each motion and each CRM's sample.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import ROOT
from leadspec.cli import main
from leadspec.sample.context import STAGES


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env=env)
    return result.exit_code, result.output


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.fixture(scope="module")
def started(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("init") / "acme"
    code, output = run(
        "init", str(folder), "--from", "reference", "--company", "Acme Tools", "--crm", "hubspot"
    )
    assert code == 0, output
    assert "leadspec sample --crm hubspot" in output
    return folder


def test_the_new_spec_validates_clean(started: Path) -> None:
    code, output = run("validate", str(started))
    assert (code, output) == (0, "21 files checked: no findings.\n")


def test_the_new_spec_builds_a_site_under_its_name(started: Path, tmp_path: Path) -> None:
    code, output = run("build", str(started), "--site-dir", str(tmp_path / "site"))
    assert code == 0, output
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "Acme Tools Lead Management Process" in index
    assert "<title>Start here - Acme Tools Lead Playbook</title>" in index
    assert (tmp_path / "site" / "assets" / "leadspec.css").is_file()  # the packaged stylesheet


def test_it_holds_the_reference_spec_without_its_releases(started: Path) -> None:
    written = tree(started)
    for folder in ("stages", "definitions", "checks"):  # process.yaml is renamed, checked below
        reference = {f"{folder}/{k}": v for k, v in tree(ROOT / folder).items()}
        assert {k: v for k, v in written.items() if k.startswith(f"{folder}/")} == reference
    assert not (started / "process" / "releases").exists()
    assert "checks/mappings/hubspot.yaml" in written
    assert {k for k in written if k.startswith("docs/job-aids/")} == {
        f"docs/{k}" for k in tree(ROOT / "docs") if k.startswith("job-aids/")
    }
    process = (started / "process" / "process.yaml").read_text(encoding="utf-8")
    assert process.splitlines()[:2] == [
        "# yaml-language-server: $schema=../schema/process.schema.json",
        'name: "Acme Tools Lead Management Process"',
    ]
    assert {".gitignore", "README.md", "mkdocs.yml", ".vscode/settings.json"} <= set(written)


def test_every_spec_file_names_a_schema_the_editor_finds(started: Path) -> None:
    settings = json.loads((started / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    mapped = settings["yaml.schemas"]
    for schema, globs in mapped.items():
        assert (started / schema).is_file(), schema
        assert all(list(started.glob(g)) for g in globs), globs
    for path in [
        *started.glob("process/*.yaml"),
        *started.glob("stages/*.yaml"),
        *started.glob("definitions/*.yaml"),
    ]:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema=../schema/"), path
        assert (path.parent / first.split("=", 1)[1]).resolve().is_file(), path


def test_a_folder_with_a_spec_is_refused_and_left_alone(started: Path) -> None:
    before = tree(started)
    code, output = run("init", str(started))
    assert code == 2
    assert "already holds a spec; nothing was written" in output
    assert tree(started) == before


def test_force_adds_only_the_missing_files(started: Path, tmp_path: Path) -> None:
    folder = shutil.copytree(started, tmp_path / "team")
    (folder / "stages" / "nurture.yaml").unlink()
    (folder / "README.md").write_text("our own notes\n", encoding="utf-8")
    code, output = run("init", str(folder), "--force")
    assert code == 0, output
    assert (folder / "stages" / "nurture.yaml").is_file()
    assert (folder / "README.md").read_text(encoding="utf-8") == "our own notes\n"
    assert "kept as they were" in output


def test_without_a_spec_every_command_says_how_to_start(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    for args in (
        ["validate", str(empty)],
        ["build", str(empty)],
        ["sample", "x", "--crm", "generic", "--spec", str(empty)],
    ):
        code, output = run(*args)
        assert code == 2, args
        assert f"no leadspec spec in {empty}" in output
        assert f"leadspec init {empty}" in output
    assert not (tmp_path / "x").exists()


def test_validate_and_build_take_the_folder_as_spec_too(started: Path, tmp_path: Path) -> None:
    assert run("validate", "--spec", str(started)) == (0, "21 files checked: no findings.\n")
    code, output = run("validate", str(started), "--spec", str(tmp_path))
    assert code == 2 and "give the spec folder once" in output


def test_the_spec_folder_can_come_from_the_environment(started: Path, tmp_path: Path) -> None:
    os.chdir(tmp_path)
    try:
        code, output = run("validate", env={"LEADSPEC_SPEC": str(started)})
        assert (code, output) == (0, "21 files checked: no findings.\n")
        code, output = run(
            "sample", "out", "--crm", "generic", "--leads", "50", env={"LEADSPEC_SPEC": str(started)}
        )
        assert code == 0, output
    finally:
        os.chdir(ROOT)


def test_build_without_graphviz_says_how_to_install_it(started: Path, tmp_path: Path) -> None:
    code, output = run(
        "build", str(started), "--site-dir", str(tmp_path / "site"), env={"PATH": str(tmp_path)}
    )
    assert code == 2
    assert "sudo apt-get install graphviz" in output and "brew install graphviz" in output
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("motion", ["b2b", "b2c", "both"])
def test_the_minimal_draft_validates_for_each_motion(motion: str, tmp_path: Path) -> None:
    folder = tmp_path / "draft"
    code, output = run("init", str(folder), "--motion", motion)
    assert code == 0, output
    assert run("validate", str(folder)) == (0, "19 files checked: no findings.\n")
    process = (folder / "process" / "process.yaml").read_text(encoding="utf-8")
    assert 'version: "0.5"\nstatus: draft' in process
    assert 'name: "Lead Management Process"' in process
    motions = {"both": ["b2b", "b2c"]}.get(motion, [motion])
    assert [m for m in ("b2b", "b2c") if f"\n  {m}:\n" in process] == motions
    fields = (folder / "definitions" / "fields.yaml").read_text(encoding="utf-8")
    assert f"allowed_values: [{', '.join(motions)}]" in fields  # the motion field, narrowed too
    for crm in ("salesforce", "hubspot"):  # their exports carry no motion: a constant one
        mapping = (folder / "checks" / "mappings" / f"{crm}.yaml").read_text(encoding="utf-8")
        assert re.findall(r"^  motion: (\w+)$", mapping, re.M) == [motions[0]]
    generic = (folder / "checks" / "mappings" / "generic.yaml").read_text(encoding="utf-8")
    assert re.search(r"^  motion: \{(.*)\}$", generic, re.M).group(1) == ", ".join(
        f"{m}: {m}" for m in motions
    )
    stages = sorted(p.stem for p in (folder / "stages").glob("*.yaml"))
    assert stages == sorted(STAGES)  # the reference's lead stages, which mappings and sample know
    for stage in (folder / "stages").glob("*.yaml"):  # every job aid a stage names is there
        for aid in re.findall(r"path: (\S+)", stage.read_text(encoding="utf-8")):
            assert (folder / aid).is_file(), aid


@pytest.mark.parametrize("crm", ["salesforce", "hubspot", "generic"])
def test_the_minimal_draft_checks_a_sample_of_each_crm(crm: str, tmp_path: Path) -> None:
    folder = tmp_path / "draft"
    assert run("init", str(folder), "--motion", "b2c", "--crm", crm)[0] == 0
    code, output = run(
        "sample", str(tmp_path / "export"), "--crm", crm, "--leads", "200", "--spec", str(folder)
    )
    assert code == 0, output
    command = shlex.split(output.strip().splitlines()[-1])
    readme = (folder / "README.md").read_text(encoding="utf-8")
    shown = shlex.split(next(line for line in readme.splitlines() if line.startswith("leadspec check ")))
    files = [
        Path(a).name if "=" not in a else a.split("=")[0] + "=" + Path(a.split("=")[1]).name for a in command
    ]
    assert (
        shown[: shown.index("--mapping") + 2] == files[: files.index("--mapping") + 2]
    )  # the README's files
    code, output = run(*command[1:])
    assert code == 1, output  # the sample's planted violations break rules of the draft too
    assert "| 200 leads checked" in output


def test_the_minimal_draft_builds(tmp_path: Path) -> None:
    folder = tmp_path / "draft"
    assert run("init", str(folder), "--company", "Acme")[0] == 0
    code, output = run("build", str(folder))
    assert code == 0, output
    index = (folder / "site" / "index.html").read_text(encoding="utf-8")
    assert "Acme Lead Management Process" in index and "version 0.5" in index


def test_the_reference_has_both_motions(tmp_path: Path) -> None:
    code, output = run("init", str(tmp_path / "x"), "--from", "reference", "--motion", "b2b")
    assert code == 2 and "--motion chooses for --from minimal" in output
    assert not (tmp_path / "x").exists()
