"""Command-line administration: `flask --app app users|tokens|setup ...`."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext
from flask_migrate import upgrade

from services import accounts, users
from services.db import db
from services.models import User

users_cli = AppGroup("users", help="Manage users.")
tokens_cli = AppGroup("tokens", help="Manage API tokens.")


def _user_or_fail(email: str, org_name: str | None = None) -> User:
    """The account of `email` (in `org_name` when the address has accounts in several organisations)."""
    accounts_found = [
        u for u in User.all_by_email(email) if org_name is None or u.organisation.name == org_name
    ]
    if not accounts_found:
        raise click.ClickException(f"no user with email {email}" + (f" in {org_name}" if org_name else ""))
    if len(accounts_found) > 1:
        orgs = ", ".join(sorted(u.organisation.name for u in accounts_found))
        raise click.ClickException(f"{email} has accounts in {orgs}: say which with --org")
    return accounts_found[0]


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--role", required=True, type=click.Choice(["admin", "executive", "member"]))
@click.option("--org", "org_name", default=accounts.DEFAULT_ORG, show_default=True, help="Created if missing.")
@click.option("--name", default="")
@click.option("--password", default=None, help="Generated and printed once when omitted.")
def users_create(email: str, role: str, org_name: str, name: str, password: str | None) -> None:
    try:
        created = accounts.create_user(email=email, role=role, org_name=org_name, name=name, password=password)
    except accounts.AccountError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"created {created.user.email} ({role}) in {org_name}")
    if created.password:
        click.echo(f"password (shown once): {created.password}")


@users_cli.command("set-role")
@click.option("--email", required=True)
@click.option("--role", required=True, type=click.Choice(["admin", "executive", "member"]))
@click.option("--org", "org_name", default=None, help="When the email has accounts in several organisations.")
def users_set_role(email: str, role: str, org_name: str | None) -> None:
    try:
        accounts.set_role(_user_or_fail(email, org_name), role)
    except accounts.AccountError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{email} is now {role}")


@users_cli.command("deactivate")
@click.option("--email", required=True)
@click.option("--org", "org_name", default=None, help="When the email has accounts in several organisations.")
def users_deactivate(email: str, org_name: str | None) -> None:
    try:
        accounts.set_active(_user_or_fail(email, org_name), False)
    except accounts.AccountError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{email} is deactivated and logged out everywhere")


@tokens_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--org", "org_name", default=None, help="When the email has accounts in several organisations.")
def tokens_create(email: str, name: str, org_name: str | None) -> None:
    try:
        _token, plain = users.create_token(_user_or_fail(email, org_name), name)
    except accounts.AccountError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(plain)


@click.command("setup")
@with_appcontext
def setup() -> None:
    """Apply migrations and create the first admin when there is none (prints it once)."""
    upgrade(revision="heads")
    created = accounts.ensure_first_admin()
    if created:
        click.echo("First admin created. Log in with:")
        click.echo(f"  email:    {created.user.email}")
        click.echo(f"  password: {created.password}")
        click.echo("  (shown once; change it or create your own admin with `flask --app app users create`)")
    db.session.remove()


def init_cli(app: Flask) -> None:
    app.cli.add_command(users_cli)
    app.cli.add_command(tokens_cli)
    app.cli.add_command(setup)

    from web.cli_runs import runs_cli
    from web.cli_worker import worker_command

    app.cli.add_command(runs_cli)
    app.cli.add_command(worker_command)
