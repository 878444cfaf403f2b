"""A situation report in Markdown: grouped by place, every statement cited."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date

from .records import Claim, Event, Source

_PRECISION = {1: "", 2: " (week)", 3: " (month)"}
_VERB = {
    "advance": "advanced",
    "capture": "captured the settlement",
    "stalled": "was stalled",
    "withdraw": "withdrew",
    "hold": "held positions",
}


def _md(text: str) -> str:
    """Article text is untrusted: neutralise Markdown/HTML so it stays inert text."""
    out = text.replace("\\", "\\\\")
    for ch in "`*_[]<>|#":
        out = out.replace(ch, "\\" + ch)
    return " ".join(out.split())


def _source_label(s: Source) -> str:
    bits = [s.affiliation.replace("_", " ")]
    if s.channel:
        bits.append(s.channel)
    label = f"{_md(s.name)} ({', '.join(bits)})"
    if s.relayed_by:
        label += f", via {_md(s.relayed_by)}"
    return label


def _when(e: Event) -> str:
    if e.event_date is None:
        return "undated"
    return e.event_date.isoformat() + _PRECISION.get(e.time_precision or 1, "")


def _sentence(e: Event) -> str:
    who = e.actor1
    what = _VERB.get(e.movement or "", "")
    if e.sub_event_type in ("Government regains territory", "Non-state actor overtakes territory"):
        what = "took control"
    elif not what:
        what = {
            "Armed clash": "fought",
            "Shelling/artillery/missile attack": "shelled or struck with missiles/artillery",
            "Air/drone strike": "carried out an air or drone strike",
            "Remote explosive/landmine/IED": "set off an explosive",
            "Disrupted weapons use": "intercepted weapons",
        }.get(e.sub_event_type, e.sub_event_type.lower())
    target = f" against {e.actor2}" if e.actor2 else ""
    fat = f"; {e.fatalities} killed" if e.fatalities else ""
    return f"{who} {what}{target} — {e.sub_event_type}, {e.modality}{fat}"


def render(events: Sequence[Event], claims: Iterable[Claim] = (), *,
           title: str = "Situation report", generated: date | None = None) -> str:
    """The report. Footnotes give the article and evidence sentence of each statement."""
    lines = [f"# {title}", ""]
    if generated:
        lines += [f"_Generated {generated.isoformat()} from {len(events)} events._", ""]
    if not events:
        lines.append("No events in the database for this selection.")
        return "\n".join(lines) + "\n"
    by_place: dict[tuple[str, str], list[Event]] = defaultdict(list)
    for e in events:
        p = e.location.place
        by_place[(p.name, p.admin1 or p.country)].append(e)
    notes: list[str] = []
    order = sorted(by_place.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    for (name, region), evs in order:
        lines.append(f"## {_md(name)}, {_md(region)}")
        lines.append("")
        for e in sorted(evs, key=lambda e: (e.event_date or date.min, e.evidence_start)):
            notes.append(f"{_md(e.article)}: “{_md(e.evidence)}”")
            srcs = "; ".join(_source_label(s) for s in e.sources) or "the outlet (unattributed)"
            lines.append(f"- **{_when(e)}** {_md(_sentence(e))}. According to {srcs}."
                         f" [^{len(notes)}]")
        lines.append("")
    claim_list = [c for c in claims if c.kind != "control" or not c.background]
    if claim_list:
        lines += ["## Claims", ""]
        for c in claim_list:
            notes.append(f"{_md(c.article)}: “{_md(c.evidence)}”")
            place = c.place.name if c.place else "—"
            rng = ""
            if c.low is not None:
                rng = f" {c.low:g}" + (f"–{c.high:g}" if c.high not in (None, c.low) else "")
            srcs = "; ".join(_source_label(s) for s in c.sources) or "unattributed"
            lines.append(f"- {c.kind.replace('_', ' ')} at {_md(place)}:{rng}"
                         f"{' held by ' + c.holder if c.holder else ''}"
                         f" ({c.modality}; {srcs}) [^{len(notes)}]")
        lines.append("")
    lines += ["---", ""]
    lines += [f"[^{i}]: {n}" for i, n in enumerate(notes, 1)]
    return "\n".join(lines) + "\n"
