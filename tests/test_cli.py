"""The `leadspec` command: output, exit codes, and the files it writes."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from conftest import MINIMAL, ROOT, apply_edits, assert_golden, copy_spec
from leadspec.cli import main
from leadspec.rules import checks_file_model
from leadspec.spec.schema import schemas

GOLDEN = Path(__file__).parent / "golden"
BROKEN = {
    "edits": [
        {"file": "stages/inquiry.yaml", "replace": "owner: mops", "with": "owner: sdr_team"},
        {
            "file": "stages/nurture.yaml",
            "replace": "rule: intent_score >= motion.mql_score",
            "with": "rule: intent_scor >= motion.mql_score AND now() > created_at",
        },
        {
            "file": "stages/nurture.yaml",
            "replace": "definition: The lead fits but is not ready to talk to sales.",
            "with": "definition: The lead fits. It is not ready to talk to sales.",
        },
        {"file": "definitions/kpis.yaml", "replace": "    target: {max: 5}\n", "with": ""},
    ]
}


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    root = copy_spec(MINIMAL, tmp_path / "spec")
    apply_edits(root, BROKEN)
    return root


def test_clean_spec_exits_0() -> None:
    assert run("validate", str(MINIMAL)) == (0, "18 files checked: no findings.\n")


def test_validate_text_output(broken: Path, update_goldens: bool) -> None:
    code, output = run("validate", str(broken))
    assert code == 1
    assert_golden(GOLDEN / "validate.txt", output, update_goldens)


def test_validate_json_output(broken: Path, update_goldens: bool) -> None:
    code, output = run("validate", str(broken), "--format", "json")
    assert code == 1
    assert json.loads(output)["summary"] == {"errors": 4, "warnings": 1}
    assert_golden(GOLDEN / "validate.json", output, update_goldens)


def test_warnings_alone_exit_0(tmp_path: Path) -> None:
    root = copy_spec(MINIMAL, tmp_path / "spec")
    apply_edits(root, {"edits": [BROKEN["edits"][2]]})
    code, output = run("validate", str(root))
    assert code == 0
    assert "LS406 [warning]" in output


def test_broken_yaml_exits_2_with_file_and_line(tmp_path: Path) -> None:
    root = copy_spec(MINIMAL, tmp_path / "spec")
    apply_edits(
        root, {"edits": [{"file": "stages/qualified.yaml", "replace": "owner: ae", "with": "owner: ae: x"}]}
    )
    code, output = run("validate", str(root))
    assert code == 2
    assert output.startswith("stages/qualified.yaml:5:10: LS001 [error] mapping values")


def test_missing_directory_is_a_usage_error(tmp_path: Path) -> None:
    code, _ = run("validate", str(tmp_path / "nowhere"))
    assert code == 2


def test_schema_command_writes_every_kind(tmp_path: Path) -> None:
    code, output = run("schema", str(MINIMAL), "--out", str(tmp_path))
    assert code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(schemas(checks_file_model()))


def test_committed_schemas_are_current(update_goldens: bool) -> None:
    for name, text in schemas(checks_file_model()).items():
        assert_golden(ROOT / "schema" / name, text, update_goldens)


def _schema_for(rel: str) -> str:
    folder, stem = rel.split("/")[0], Path(rel).stem
    return {"process": "process", "stages": "stage", "checks": "checks"}.get(folder, stem)


@pytest.mark.parametrize("spec_root", [MINIMAL, ROOT], ids=["minimal", "reference"])
def test_schemas_accept_the_spec_files(spec_root: Path) -> None:
    texts = {name: json.loads(text) for name, text in schemas(checks_file_model()).items()}
    files = sorted(spec_root.glob("process/*.yaml")) + sorted(spec_root.glob("stages/*.yaml"))
    files += sorted(spec_root.glob("definitions/*.yaml")) + sorted(spec_root.glob("checks/*.yaml"))
    assert files
    for file in files:
        rel = file.relative_to(spec_root).as_posix()
        data = json.loads(json.dumps(yaml.safe_load(file.read_text()), default=str))
        jsonschema.validate(data, texts[f"{_schema_for(rel)}.schema.json"])


def test_schema_refuses_unknown_keys() -> None:
    stage_schema = json.loads(schemas(checks_file_model())["stage.schema.json"])
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"id": "x", "colour": "red"}, stage_schema)


def test_sample_choices_match_the_sample_package() -> None:
    """The CLI names the sample shapes without importing the generator; they must agree."""
    from leadspec import cli, sample

    assert cli.CRMS == sample.CRMS
    assert cli.DEFAULT_PLANT_RATE == sample.DEFAULT_RATE


def test_validate_loads_neither_the_engine_nor_the_reports() -> None:
    """`validate` in a pre-commit hook should start fast: no DuckDB, data step or rich."""
    import subprocess
    import sys

    code = (
        "import sys; from leadspec.cli import main\n"
        "try:\n    main(['validate', sys.argv[1]])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('duckdb', 'rich', 'leadspec.data', 'leadspec.conformance')"
        " if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(MINIMAL)], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip().splitlines()[-1] == "[]", out


def test_validate_github_annotations(
    broken: Path, monkeypatch: pytest.MonkeyPatch, update_goldens: bool
) -> None:
    """Paths relative to the repository, from the folder the spec was named by."""
    monkeypatch.chdir(broken.parent)
    code, output = run("validate", "spec", "--format", "github")
    assert code == 1
    assert_golden(GOLDEN / "validate.github.txt", output, update_goldens)
    owner = next(line for line in output.splitlines() if "LS101" in line)
    assert owner.startswith("::error file=spec/stages/inquiry.yaml,line=6,col=8,title=LS101::owner")
    assert "%0Aknown roles" in owner  # the hint, on its own line in the annotation
