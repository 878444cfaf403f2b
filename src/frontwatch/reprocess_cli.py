"""`frontwatch reprocess [--all|ARTICLE...]`: a newer pipeline over stored raw input."""

from __future__ import annotations

import click

from .cli import _settings, _store


@click.command()
@click.argument("articles", nargs=-1)
@click.option("--all", "all_", is_flag=True, help="Every stored article.")
@click.option("--redetect-language", is_flag=True,
              help="Detect each article's language afresh instead of keeping the stored one.")
@click.pass_context
def reprocess(ctx: click.Context, articles: tuple[str, ...], all_: bool,
              redetect_language: bool) -> None:
    """Re-run the pipeline over stored articles (by id, id prefix or name), from their kept
    HTML or else their raw text, replacing each one's events, claims, mentions and
    boilerplate in one transaction."""
    from .reprocess import reprocess as run

    if all_ == bool(articles):
        raise click.UsageError("give ARTICLE ids/names or --all (not both)")
    done = failed = before = after = 0
    with _store(_settings(ctx)) as store:
        for r in run(store, None if all_ else articles, _settings(ctx),
                     redetect_language=redetect_language):
            if r.error is not None:
                failed += 1
                click.echo(f"error: {r.name} ({r.article_id}): {r.error}", err=True)
                continue
            done += 1
            before += r.before["events"]
            after += r.after["events"]
            click.echo(f"{r.article_id}  {r.source:<4}  {r.language or '?':<3}  "
                       f"events {r.before['events']} -> {r.after['events']}  "
                       f"claims {r.before['claims']} -> {r.after['claims']}  "
                       f"mentions {r.before['mentions']} -> {r.after['mentions']}  {r.name}")
    click.echo(f"reprocessed {done} article(s): events {before} -> {after}; {failed} failed")
    if failed:
        ctx.exit(1)
