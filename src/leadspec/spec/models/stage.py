"""stages/<id>.yaml: one stage of the lifecycle, written for the people who run it."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from .common import Criterion, Id, Strict, Text


class Step(Strict):
    do: Text = Field(description="What is done, as an instruction.")
    by: Id = Field(description="The role that does it.")


class JobAid(Strict):
    title: Text
    kind: Literal["template", "script", "checklist", "guide", "content", "link"]
    path: str | None = Field(None, description="A file in the repository, relative to its root.")
    url: str | None = Field(None, pattern=r"^https?://")
    purpose: Text = Field(description="What it helps the owner do.")

    @model_validator(mode="after")
    def _path_or_url(self) -> JobAid:
        if (self.path is None) == (self.url is None):
            raise ValueError("a job aid has either 'path:' (a file in the repo) or 'url:'")
        return self


class Escalation(Strict):
    trigger: Text = Field(description="When the escalation happens.")
    after: Id | None = Field(
        None, description="A named window from the motions; escalate when it is exceeded."
    )
    to: Id = Field(description="The role that is alerted.")


class Reassignment(Strict):
    rule: Text
    to: Id = Field(description="The role that reassigns or receives the lead.")


class Stage(Strict):
    id: Id
    name: Text
    short: str | None = Field(None, description="Abbreviation such as MQL, shown with the name.")
    definition: Text = Field(description="One sentence: what being in this stage means.")
    purpose: Text
    owner: Id = Field(description="The one role accountable for leads in this stage.")
    crm_status: list[Text] = Field(
        default_factory=list,
        description="CRM status values that mean a lead is in this stage.",
    )
    entry_conditions: list[Criterion] = Field(default_factory=list)
    steps: list[Step] = Field(default_factory=list)
    exit_criteria: list[Criterion] = Field(default_factory=list)
    job_aids: list[JobAid] = Field(default_factory=list)
    response_window: Id | None = Field(
        None, description="Named window (see process motions) for the owner's first action."
    )
    max_time_in_stage: Id | None = Field(
        None, description="Named window after which a lead has stayed here too long."
    )
    escalation: Escalation | None = None
    reassignment: Reassignment | None = None
    failure_modes: list[Id] = Field(default_factory=list)
    kpis: list[Id] = Field(default_factory=list)
