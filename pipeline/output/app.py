"""``python -m pipeline review``: the report as a local web app where each decision is a click.

The app serves the same page as report.html (html.py, report.html.j2) with a form per conflict
(accept a side, both true, dismiss, a note; reopen) and per extracted fact (reject with a reason;
restore). A click writes one row of the reviews file (decisions.change: locked, atomic) and
re-applies every decision to the outputs as ``python -m pipeline report`` does, without NER.

Security, for a server on an analyst's machine that a web page in another tab could try to use:
it listens on 127.0.0.1 unless ``--host`` says otherwise; requests must name an allowed Host (no
DNS rebinding); a POST must come from the app's own origin (Origin, else Referer) and carry the
CSRF token of the page it was sent from; the page may not be framed (no click-jacking). The only
files written are the reviews file (with its ``.lock`` and a temporary file beside it) and the
outputs the ``report`` command writes. Bad form input gets a 400 with the reason, never a
traceback.
"""

from __future__ import annotations

import hmac
import html
import ipaddress
import json
import secrets
import socket
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import quote, unquote

import uvicorn
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import Message

from pipeline.output.decisions import (
    REJECTED,
    ReviewFileError,
    change,
    ensure_file,
    lock_for,
    read_facts,
    rebuild,
)
from pipeline.output.html import build_context, environment, load_inputs
from pipeline.output.index import one_subject_please
from pipeline.output.refresh import refresh_outputs
from pipeline.output.reviews import accepts, is_reviewable, values_by_row
from pipeline.output.tables import read_table

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
MAX_BODY = 64 * 1024  # a decision form is a few hundred bytes
MAX_NOTE = 2000
MAX_NAME = 120
COOKIE = "reviewer"
# The page's own CSP (report.html.j2 repeats it in a meta tag) plus what only a server can say.
CSP = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
       "img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")


class BadRequest(Exception):
    """Form input the app refuses (status and a message for the reviewer)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Config:
    out_dir: Path
    reviews_path: Path
    hosts: list[str] = field(default_factory=lambda: [DEFAULT_HOST, "localhost"])
    token: str = field(default_factory=lambda: secrets.token_urlsafe(32))


def reviews_path_of(out_dir: Path, given: Path | None) -> Path:
    """``--reviews`` or the file extract recorded in run.json (where it applies decisions)."""
    if given is not None:
        return Path(given).resolve()
    run_path = Path(out_dir) / "run.json"
    try:
        info = json.loads(run_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise ReviewFileError(f"{run_path}: cannot be read ({err}); run `python -m pipeline "
                              f"extract --out {out_dir}` first, or pass --reviews PATH") from err
    recorded = (info.get("reviews") or {}).get("path")
    if not recorded:
        raise ReviewFileError(f"{run_path}: names no reviews file; pass --reviews PATH")
    return Path(recorded)


# --- request checks -------------------------------------------------------------------------

def _same_origin(request: Request) -> None:
    """A POST must come from a page of this app: its Origin (or Referer) names this host."""
    own = f"{request.url.scheme}://{request.headers.get('host', '')}"
    origin = request.headers.get("origin")
    if origin is not None:
        if origin != own:
            raise BadRequest(f"refused: a form from {origin!r}, not from this app ({own})", 403)
        return
    referer = request.headers.get("referer", "")
    if not (referer == own or referer.startswith(own + "/")):
        raise BadRequest("refused: the request does not say it comes from this app (no Origin "
                         "or Referer header)", 403)


async def _form(request: Request, config: Config) -> dict[str, str]:
    """The posted form after the origin and CSRF checks; one value per field."""
    _same_origin(request)
    too_large = BadRequest(f"the form is larger than {MAX_BODY // 1024} KB", 413)
    size = request.headers.get("content-length", "")
    if size and (not size.isdigit() or int(size) > MAX_BODY):
        raise too_large
    if not request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        raise BadRequest("expected a form (application/x-www-form-urlencoded)")
    # Content-Length may be absent (a chunked body) or wrong: count what actually arrives and
    # stop reading once it exceeds the limit.
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise too_large
    received = bytes(body)

    async def replay() -> Message:
        return {"type": "http.request", "body": received, "more_body": False}

    try:
        raw = await Request(request.scope, replay).form(max_files=0, max_fields=20)
    except Exception as err:  # python-multipart's own errors differ by version
        raise BadRequest(f"the form cannot be read ({err})") from err
    form = {k: str(v) for k, v in raw.items() if isinstance(v, str)}
    if not hmac.compare_digest(form.get("csrf", "").encode(), config.token.encode()):
        raise BadRequest("refused: the form's token is missing or not this app's (reload the "
                         "page and try again)", 403)
    return form


def _text(form: dict[str, str], name: str, limit: int, required: str = "") -> str:
    value = " ".join(form.get(name, "").split())
    if len(value) > limit:
        raise BadRequest(f"{name} is longer than {limit} characters")
    if required and not value:
        raise BadRequest(required)
    return value


def _reviewer(request: Request) -> str:
    return " ".join(unquote(request.cookies.get(COOKIE, "")).split())[:MAX_NAME]


class OutputsNotRefreshed(ReviewFileError):
    """The decision is in the reviews file, but the outputs could not be re-rendered."""


def _error_page(message: str, status: int, heading: str = "Not recorded") -> HTMLResponse:
    body = (f"<!DOCTYPE html><html lang=en><meta charset=utf-8><title>{status}</title>"
            f"<body style='font: 15px system-ui; margin: 2rem'><h1>{html.escape(heading)}</h1>"
            f"<p id=error>{html.escape(message)}</p><p><a href='/'>Back to the review</a></p>")
    return HTMLResponse(body, status_code=status, headers={"Content-Security-Policy": CSP})


# --- the app --------------------------------------------------------------------------------

def create_app(config: Config) -> Starlette:
    """The Starlette app for one output folder and its reviews file."""

    def rerender() -> None:
        if refresh_outputs(config.out_dir, config.reviews_path) != 0:
            raise OutputsNotRefreshed(f"{config.out_dir}: the decision is recorded in "
                                      f"{config.reviews_path}, but the outputs could not be "
                                      "re-rendered (see the server's messages)")

    def conflict_row(cid: str) -> dict[str, str]:
        table = read_table(config.out_dir / "fact_table.csv")
        hit = table[table["conflict_id"] == cid]
        if hit.empty:
            raise BadRequest(f"no row {cid!r} in fact_table.csv (re-run extract?)", 404)
        row: dict[str, str] = hit.iloc[0].to_dict()
        if not is_reviewable(row):
            raise BadRequest(f"row {cid} is not a conflict (status {row.get('status', '?')})")
        return row

    async def page(request: Request) -> Response:
        body = await run_in_threadpool(render_page, config, _reviewer(request))
        return HTMLResponse(body, headers={"Content-Security-Policy": CSP,
                                           "X-Frame-Options": "DENY",
                                           "Cache-Control": "no-store",
                                           "Referrer-Policy": "same-origin"})

    async def set_reviewer(request: Request) -> Response:
        form = await _form(request, config)
        name = _text(form, "name", MAX_NAME, "enter your name: it is recorded with each "
                     "decision")
        resp = RedirectResponse("/", status_code=303)
        resp.set_cookie(COOKIE, quote(name), httponly=True, samesite="strict",
                        max_age=60 * 60 * 24 * 365)
        return resp

    async def decide(request: Request) -> Response:
        form = await _form(request, config)
        reviewer = _reviewer(request)
        if not reviewer:
            raise BadRequest("enter your name at the top of the page first: it is recorded "
                             "with each decision")
        cid = _text(form, "conflict_id", 64, "conflict_id is missing")
        action = form.get("action", "").strip()
        note = _text(form, "note", MAX_NOTE)
        # refuses a row that is not a conflict or a possible conflict
        await run_in_threadpool(conflict_row, cid)
        if action.startswith("accept:"):
            decision = "accepted:" + action[len("accept:"):].strip()
            # the typed values of this row (fact_values.csv), not the table's display cells
            given = values_by_row(read_table(config.out_dir / "fact_values.csv")).get(cid, {})
            if not any(accepts(decision, d, v) for d, v in given.items()):
                raise BadRequest(f"{decision!r} names neither a document with a value in "
                                 f"conflict {cid} nor one of its values")
        elif action in ("both_true", "dismissed"):
            decision = action
        elif action == "reopen":
            decision = ""
        else:
            raise BadRequest(f"action {action!r} is not accept:<doc_id>, both_true, dismissed "
                             "or reopen")
        await run_in_threadpool(change, config.reviews_path, conflict_id=cid,
                                decision=decision, note=note, reviewer=reviewer, then=rerender)
        return RedirectResponse(f"/#{cid}", status_code=303)

    async def reject(request: Request) -> Response:
        form = await _form(request, config)
        reviewer = _reviewer(request)
        if not reviewer:
            raise BadRequest("enter your name at the top of the page first")
        fid = _text(form, "fact_id", 64, "fact_id is missing")
        action = form.get("action", "")
        known = {f.fact_id for f in await run_in_threadpool(read_facts, config.out_dir)}
        if fid not in known:
            raise BadRequest(f"no fact {fid!r} in facts.csv", 404)
        if action == "reject":
            reason = _text(form, "reason", MAX_NOTE, "say why the fact is wrong (e.g. 'only "
                           "announced it, did not found it')")
            decision = REJECTED
        elif action == "restore":
            reason, decision = "", ""
        else:
            raise BadRequest(f"action {action!r} is not reject or restore")
        await run_in_threadpool(change, config.reviews_path, fact_id=fid, decision=decision,
                                note=reason, reviewer=reviewer, then=rerender)
        return RedirectResponse(f"/#fact-{fid}", status_code=303)

    def guarded(handler: Callable[[Request], Awaitable[Response]]
                ) -> Callable[[Request], Awaitable[Response]]:
        async def run(request: Request) -> Response:
            try:
                return await handler(request)
            except BadRequest as err:
                return _error_page(str(err), err.status)
            except OutputsNotRefreshed as err:
                print(f"error: {err}", file=sys.stderr, flush=True)
                return _error_page(str(err), 500, "Recorded; outputs not refreshed")
            except ReviewFileError as err:
                print(f"error: {err}", file=sys.stderr, flush=True)
                return _error_page(str(err), 409)
        return run

    routes = [Route("/", guarded(page), methods=["GET"]),
              Route("/reviewer", guarded(set_reviewer), methods=["POST"]),
              Route("/decide", guarded(decide), methods=["POST"]),
              Route("/reject", guarded(reject), methods=["POST"])]
    return Starlette(routes=routes, middleware=[
        Middleware(TrustedHostMiddleware, allowed_hosts=config.hosts)])


def render_page(config: Config, reviewer: str) -> str:
    """report.html.j2 with the app's controls: the report's context plus ``app``."""
    # The conflicts' evidence and the chart without the rejected facts, as report.html has them.
    rebuilt = rebuild(config.out_dir, config.reviews_path)
    context = build_context(replace(load_inputs(config.out_dir), facts=rebuilt.kept,
                                    rows=rebuilt.rows))
    context["app"] = {
        "token": config.token,
        "reviewer": reviewer,
        "reviews_path": str(config.reviews_path),
        "facts": rebuilt.facts,
        "rejected": rebuilt.rejected,
    }
    return environment().get_template("report.html.j2").render(**context)


def is_loopback(host: str) -> bool:
    """An address only this machine can reach (the app has no login)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve(out_dir: Path, reviews: Path | None, host: str, port: int,
          allow_remote: bool = False) -> int:
    """Run the app until Ctrl-C; returns an exit code."""
    if not is_loopback(host) and not allow_remote:
        print(f"error: --host {host} would let anyone who reaches this machine record decisions "
              "(the app has no login); pass --allow-remote to do it anyway", file=sys.stderr)
        return 2
    out_dir = Path(out_dir)
    if several := one_subject_please(out_dir, "review"):
        print(f"error: {several}", file=sys.stderr)
        return 2
    if not (out_dir / "fact_table.csv").exists():
        print(f"error: {out_dir}/fact_table.csv not found; run `python -m pipeline extract "
              f"--out {out_dir}` first", file=sys.stderr)
        return 2
    try:
        path = reviews_path_of(out_dir, reviews)
    except ReviewFileError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    hosts = [DEFAULT_HOST, "localhost", host]
    if host in ("0.0.0.0", "::"):  # every interface: the names this machine is reached by
        hosts += [socket.gethostname(), socket.getfqdn()]
    config = Config(out_dir=out_dir.resolve(), reviews_path=path, hosts=hosts)
    # The outputs as this reviews file says (it may differ from the one extract applied).
    try:
        ensure_file(path)
    except (ReviewFileError, OSError) as err:
        print(f"error: {path}: cannot be created ({err})", file=sys.stderr)
        return 2
    with lock_for(path):
        if refresh_outputs(config.out_dir, path) != 0:
            return 2
    if not is_loopback(host):
        print(f"warning: listening on {host}: anyone who reaches it can record decisions",
              file=sys.stderr, flush=True)
    print(f"review app: http://{host}:{port}/ "
          f"(decisions go to {path}; Ctrl-C to stop)", file=sys.stderr, flush=True)
    uvicorn.run(create_app(config), host=host, port=port, log_level="warning",
                server_header=False)
    return 0
