"""Spec values for hand-written pages, through mkdocs-macros-plugin.

Enabled in mkdocs.yml with `macros: {modules: [leadspec.macros]}` after the
leadspec plugin. A page can then write `{{ window("inquiry", "b2b") }}` or
`{{ spec.process.version }}` and never go stale. The macros return plain text;
mkdocs-macros does not render their output again, so '{{' in the spec stays text.
"""

from __future__ import annotations

from typing import Any

from markupsafe import escape

from .render import wording


def define_env(env: Any) -> None:
    plugin = env.conf.plugins["leadspec"]
    spec = plugin.spec
    env.variables["spec"] = spec

    @env.macro  # type: ignore[untyped-decorator]
    def window(stage_id: str, motion: str | None = None, kind: str = "response") -> str:
        """A stage's response window (kind='response') or time limit (kind='stay'), as text."""
        stage = spec.stage(stage_id)
        name = stage.response_window if kind == "response" else stage.max_time_in_stage
        if name is None:
            raise ValueError(f"stage '{stage_id}' has no {kind} window")
        settings = spec.process.motions[motion or spec.process.default_motion]
        return wording.window(settings.windows[name])

    @env.macro  # type: ignore[untyped-decorator]
    def stage_definition(stage_id: str) -> str:
        return str(escape(" ".join(spec.stage(stage_id).definition.split())))

    @env.macro  # type: ignore[untyped-decorator]
    def threshold(name: str, motion: str | None = None) -> str:
        settings = spec.process.motions[motion or spec.process.default_motion]
        return wording.number(settings.thresholds[name])
