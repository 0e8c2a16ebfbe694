"""``storyline serve``: the read-only web app over the archive, under uvicorn."""

from __future__ import annotations

import ipaddress

import click

from storage.engine import parse_url
from storyline.cli_app import App, db_option, pass_app
from storyline.exits import EXIT_USAGE, CommandFailed

NO_AUTH_WARNING = (
    "storyline serve: listening on {host}: this app has no authentication; anyone who can "
    "reach it reads the whole archive. Put it behind a proxy that authenticates."
)


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 and ``localhost`` stay on this machine; anything else does not."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--allow-remote",
    is_flag=True,
    help="Allow an address other than loopback (there is no authentication: use a proxy).",
)
@db_option
@pass_app
def serve_command(app: App, host: str, port: int, allow_remote: bool) -> None:
    """Browse the archive in a web browser: changes, articles, diffs, sources, Atom feeds."""
    if not is_loopback(host) and not allow_remote:
        raise CommandFailed(
            f"--host {host} is not a loopback address and the app has no authentication;"
            " add --allow-remote to listen there anyway (behind a proxy that authenticates)",
            EXIT_USAGE,
        )
    import uvicorn

    from storyline.web.app import create_app
    from storyline.web.settings import WebSettings

    engine = app.reader()
    if not is_loopback(host):
        click.echo(NO_AUTH_WARNING.format(host=host), err=True)
    shown = parse_url(app.db_url).render_as_string(hide_password=True)
    click.echo(f"storyline: serving {shown} at http://{host}:{port}/ (Ctrl-C to stop)", err=True)
    uvicorn.run(
        create_app(WebSettings(), engine),
        host=host,
        port=port,
        log_level="warning",
        server_header=False,
    )
