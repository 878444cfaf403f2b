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


def render_directions(events: Sequence[Event], *, title: str = "Momentum by direction",
                      generated: date | None = None) -> str:
    """Per sector of the front and week: advances and captures by side, with sources."""
    from .fuse.directions import Momentum, leader, momentum

    lines = [f"# {title}", ""]
    if generated:
        lines += [f"_Generated {generated.isoformat()} from {len(events)} events._", ""]
    rows = momentum(events)
    if not rows:
        lines.append("No dated events of either side for this selection.")
        return "\n".join(lines) + "\n"
    by_sector: dict[str, list[Momentum]] = defaultdict(list)
    for m in rows:
        by_sector[m.sector].append(m)
    for sector in sorted(by_sector, key=lambda s: (-len(by_sector[s]), s)):
        lines += [f"## {_md(sector)}", "", "| week of | events | Russia adv. | Ukraine adv. | "
                  "stalled (RU/UA) | momentum | captures |",
                  "| --- | --- | --- | --- | --- | --- | --- |"]
        for m in by_sector[sector]:
            caps = "; ".join(f"{_md(p.name)} by {side} ({', '.join(_md(s.name) for s in srcs)})"
                             for side, items in sorted(m.captures.items())
                             for p, srcs in items) or "—"
            lines.append(f"| {m.week.isoformat()} | {m.events} | {m.advances.get('russia', 0)} | "
                         f"{m.advances.get('ukraine', 0)} | {m.stalled.get('russia', 0)}/"
                         f"{m.stalled.get('ukraine', 0)} | {leader(m) or 'even'} | {caps} |")
        lines.append("")
    return "\n".join(lines) + "\n"
