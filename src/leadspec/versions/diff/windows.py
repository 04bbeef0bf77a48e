"""Changes to the motions: thresholds and the named windows, tightened or loosened."""

from __future__ import annotations

from ...render import wording
from ...spec.models import (
    Window,
    duration_minutes,
)
from ...spec.models.process import Motion
from .matching import Differ
from .wording import plain, window_text


def diff_motions(d: Differ) -> None:
    old, new = d.old.process.motions, d.new.process.motions
    for motion_id in sorted(set(old) | set(new)):
        tag = motion_id.upper()
        if motion_id not in old:
            d.add(
                "Motions and windows",
                "motion_added",
                f"motion:{motion_id}",
                f"Motion {tag}",
                f"added: {new[motion_id].name}.",
                None,
                plain(new[motion_id]),
            )
            continue
        if motion_id not in new:
            d.add(
                "Motions and windows",
                "motion_removed",
                f"motion:{motion_id}",
                f"Motion {tag}",
                "removed.",
                plain(old[motion_id]),
                None,
            )
            continue
        diff_motion(d, motion_id, old[motion_id], new[motion_id])


def diff_motion(d: Differ, motion_id: str, old: Motion, new: Motion) -> None:
    tag, subject = motion_id.upper(), f"motion:{motion_id}"
    d.attributes(
        "Motions and windows",
        "motion",
        subject,
        f"Motion {tag}",
        old,
        new,
        (),
        skip=("thresholds", "windows"),
    )
    for name in sorted(set(old.thresholds) | set(new.thresholds)):
        before, after = old.thresholds.get(name), new.thresholds.get(name)
        if before == after:
            continue
        if before is None or after is None:
            verb = "added" if before is None else "removed"
            text = f"{verb}" + (f" at {wording.number(after)}." if after is not None else ".")
        else:
            verb = "raised" if after > before else "lowered"
            text = f"{verb} from {wording.number(before)} to {wording.number(after)}."
        d.add(
            "Motions and windows",
            f"threshold_{verb}",
            f"{subject}/threshold:{name}",
            f"{tag} threshold {name}",
            text,
            before,
            after,
            d.threshold_roles(name),
        )
    for name in sorted(set(old.windows) | set(new.windows)):
        diff_window(d, motion_id, name, old.windows.get(name), new.windows.get(name))


def diff_window(d: Differ, motion_id: str, name: str, old: Window | None, new: Window | None) -> None:
    tag = motion_id.upper()
    subject = f"motion:{motion_id}/window:{name}"
    title = f"{tag} window {name}{d.window_users(name)}"
    roles = d.window_roles(name)
    area = "Motions and windows"
    if old is None or new is None:
        window = new or old
        assert window is not None
        verb = "added" if old is None else "removed"
        d.add(
            area,
            f"window_{verb}",
            subject,
            title,
            f"{verb}: {wording.window(window)}.",
            plain(old),
            plain(new),
            roles,
        )
        return
    if old.clock != new.clock:
        d.add(
            area,
            "window_changed",
            subject,
            title,
            f"changed from {wording.window(old)} to {wording.window(new)} (now on the {new.clock} clock).",
            plain(old),
            plain(new),
            roles,
        )
        return
    diff_limit(d, area, subject, title, "", old.within, new.within, new.clock, roles)
    for source in sorted(set(old.by_source) | set(new.by_source)):
        before = old.by_source.get(source, old.within)
        after = new.by_source.get(source, new.within)
        label = f"for {source} leads "
        if duration_minutes(before) != duration_minutes(after):
            diff_limit(d, area, f"{subject}/source:{source}", title, label, before, after, new.clock, roles)
        elif (source in old.by_source) != (source in new.by_source):
            own = source in new.by_source
            d.add(
                area,
                "window_source_added" if own else "window_source_removed",
                f"{subject}/source:{source}",
                title,
                f"{source} leads {'now have their own' if own else 'now follow the'} "
                f"limit, {window_text(after, new.clock)} (unchanged for them).",
                old.by_source.get(source),
                new.by_source.get(source),
                roles,
            )


def diff_limit(
    d: Differ,
    area: str,
    subject: str,
    title: str,
    label: str,
    before: str,
    after: str,
    clock: str,
    roles: set[str],
) -> None:
    a, b = duration_minutes(before), duration_minutes(after)
    if a == b and before == after:
        return
    verb = "tightened" if b < a else "loosened" if b > a else "changed"
    d.add(
        area,
        f"window_{verb}",
        subject,
        title,
        f"{label}{verb} from {window_text(before, clock)} to {window_text(after, clock)}.",
        before,
        after,
        roles,
    )
