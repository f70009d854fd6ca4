"""The push lock (sparql.push): one push at a time.

A push first claims the lock graph (`lock_graph()`) on the server (see `_PushLock`) and holds it to the end, released also
when it fails. A second push finds it held and stops at once, changing nothing (or waits up to
`lock_timeout` seconds for it). Under the lock, every graph under `staging_prefix()` (sparql.push) is a
staging graph left by a push that was interrupted (killed, or its server stopped) and is dropped, so
an interrupted push re-run ends with the same quads as one clean push. A lock whose holder is gone —
its process ended on this machine, or no sign of life for `stale_after` seconds (a live push
refreshes its claim every quarter of that) — is removed, with a message, by the next push.
"""

from __future__ import annotations

import os
import random
import socket
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Self

from rdflib import Literal, URIRef

from .. import __version__
from ..errors import EndpointError
from ..graph.iris import data_base

STALE_AFTER = 600.0  # seconds without a sign of life after which a push lock is taken for abandoned

_ACTIVE_RUNS: set[str] = set()  # the pushes of this process holding or taking the lock
_STEPS = 20  # tries in a row that find the lock neither free nor held (see _PushLock._acquire)
_POLL = 1.0  # seconds between looks at a lock held by another push, while waiting for it


def lock_graph() -> URIRef:
    """The push lock: a graph, under the data's base (kyoyaku.config), holding the claim of the push
    under way. Its few terms are `{lock graph}#run` and the like; a claim is the node `{lock graph}#{run}`."""
    return URIRef(f"{data_base()}graph/lock")


def _this_machine() -> tuple[str, str]:
    """(host name, boot id): a claim made on this machine, since it last booted, has both. Without a
    boot id (not Linux) a holder's process is never looked up: only its silence makes a lock stale."""
    try:
        with open("/proc/sys/kernel/random/boot_id", encoding="ascii") as f:
            boot = f.read().strip()
    except OSError:
        boot = ""
    return socket.gethostname(), boot


@dataclass(frozen=True)
class _Claim:
    run: str
    host: str
    machine: str
    pid: int | None
    since: str
    refreshed: str  # the lexical form as the server wrote it (NOW()), compared as is when removed
    age: float | None  # seconds since `refreshed`, by the server's clock; None when it cannot be read

    def describe(self) -> str:
        process = f"pid {self.pid} on " if self.pid is not None else ""
        return f"push {self.run[:12]} ({process}{self.host or 'an unknown host'}), since {self.since or 'an unknown time'}"


class _PushLock:
    """The push lock: a claim in the graph `lock_graph()` on the server, made with one SPARQL Update
    `INSERT { claim } WHERE { FILTER NOT EXISTS { any claim } }`, then read back.

    The claim stands only when the read finds it alone. A server need not run that update
    atomically with respect to another one — the Oxigraph server with an on-disk store does not:
    two pushes claiming at the same moment both insert, in about one round in five — so two claims
    may both be there. Each claimant then sees the other's claim beside its own, withdraws its own,
    waits a random moment and claims again. What this relies on, on any server: each update is
    all or nothing, and a read sees every update answered before it was sent. Then at most one
    push proceeds: of two claimants, the one whose read came second sees both claims.

    A live holder refreshes its claim (`refreshed`, the server's NOW()) every quarter of
    `stale_after` from a thread, and checks that it still holds the lock before moving its graphs
    into place. A claim is taken for abandoned, and removed (conditionally on its `refreshed`, so a
    refresh in between keeps it), when not refreshed for `stale_after` seconds by the server's clock,
    or when it was made on this machine (same host name and boot) by a process that has ended, or
    by a push of this process that has ended."""

    def __init__(self, server, lock_timeout: float, stale_after: float, log):  # server: sparql.push._Server
        self.server, self.lock_timeout, self.stale_after, self.log = server, lock_timeout, stale_after, log
        self.run = uuid.uuid4().hex
        # named once, in the push's context: the refreshing thread does not see the build's settings
        self.graph = lock_graph()
        self.terms = f"{self.graph}#"
        self.claim = URIRef(f"{self.terms}{self.run}")
        self.host, self.machine = _this_machine()
        self._stop = threading.Event()
        self._heart: threading.Thread | None = None

    def __enter__(self) -> Self:
        _ACTIVE_RUNS.add(self.run)
        try:
            self._acquire()
        except BaseException:
            self._withdraw_quietly()
            _ACTIVE_RUNS.discard(self.run)
            raise
        self._heart = threading.Thread(target=self._beat, name="kyoyaku push lock", daemon=True)
        self._heart.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._heart:
            self._heart.join()
        self._withdraw_quietly()
        _ACTIVE_RUNS.discard(self.run)  # only now: meanwhile, a push of this process takes the claim for live

    def confirm(self) -> None:
        """Raise EndpointError unless this push's claim is still there (not removed as abandoned)."""
        claims = self._claims()
        if not any(c.run == self.run for c in claims):
            taker = next((c.describe() for c in claims), "another push")
            raise EndpointError(f"{self.server.query_url}: the push lock {self.graph} was taken over by {taker}, while "
                                "this push staged its graphs (its claim was not refreshed in time); nothing was "
                                "moved into place: run the push again")

    def _acquire(self) -> None:
        started, waiting_for = time.monotonic(), None
        steps = 0  # claims made and withdrawn, abandoned claims removed, claims not found: each bounded
        while True:
            self.server.update(self._claim_update())
            claims = self._claims()
            others = [c for c in claims if c.run != self.run]
            if claims and not others:
                return
            steps += 1
            if steps > _STEPS:
                raise EndpointError(f"{self.server.query_url}: could not take the push lock {self.graph} in {_STEPS} "
                                    "tries: " + ("claims kept meeting another push's at the same moment" if others
                                                 else f"the claim written to {self.server.update_url} never "
                                                 "showed in the query endpoint's answers (one server?)"))
            if len(claims) > len(others):  # claimed at the same moment as another push: withdraw, try again
                self.server.update(self._withdraw_update())
                time.sleep(random.uniform(0.05, 0.5))
                continue
            abandoned = [(c, why) for c in others if (why := self._abandoned(c))]
            for claim, why in abandoned:
                self.server.update(self._removal_update(claim))
                self.log(f"removed the push lock {self.graph} of {claim.describe()}: {why}")
            if abandoned or not others:
                continue
            steps = 0  # held by a live push: waiting is bounded by lock_timeout instead
            holder = min(others, key=lambda c: c.since)
            left = self.lock_timeout - (time.monotonic() - started)
            if left <= 0:
                waited = f", still held after waiting {self.lock_timeout:g} s" if self.lock_timeout else ""
                raise EndpointError(f"{self.server.query_url}: another push holds the lock {self.graph}: "
                                    f"{holder.describe()}{waited}; nothing was changed"
                                    + ("" if self.lock_timeout else " (to wait for it: --lock-timeout SECONDS)"))
            if waiting_for != holder.run:
                self.log(f"waiting up to {self.lock_timeout:g} s for the push lock {self.graph}, held by {holder.describe()}")
                waiting_for = holder.run
            time.sleep(min(_POLL, left))

    def _abandoned(self, claim: _Claim) -> str | None:
        """Why `claim` is taken for abandoned, or None when its push may be alive."""
        if claim.host == self.host and claim.machine == self.machine and self.machine and claim.pid:
            if claim.pid == os.getpid():
                if claim.run not in _ACTIVE_RUNS:
                    return "that push, in this process, has ended"
            elif claim.pid > 0 and _process_ended(claim.pid):
                return f"its process ({claim.pid}) on this machine has ended"
        if claim.age is not None and claim.age > self.stale_after:
            return f"no sign of life for {claim.age:.0f} s (over --lock-stale {self.stale_after:g} s)"
        return None

    def _claims(self) -> list[_Claim]:
        table = self.server.select(f"""
            PREFIX lock: <{self.terms}>
            SELECT ?run ?host ?machine ?pid ?since ?refreshed (NOW() AS ?now) WHERE {{
              GRAPH <{self.graph}> {{
                ?claim lock:run ?run .
                OPTIONAL {{ ?claim lock:host ?host }} OPTIONAL {{ ?claim lock:machine ?machine }}
                OPTIONAL {{ ?claim lock:pid ?pid }} OPTIONAL {{ ?claim lock:since ?since }}
                OPTIONAL {{ ?claim lock:refreshed ?refreshed }}
              }}
            }}""")
        claims: dict[str, _Claim] = {}
        for run, host, machine, pid, since, refreshed, now in table.rows:
            claim = _Claim(str(run), str(host or ""), str(machine or ""), pid if isinstance(pid, int) else None,
                           str(since or ""), str(refreshed or ""), _seconds_between(refreshed, now))
            known = claims.get(claim.run)
            if known is None or (claim.age is not None and (known.age is None or claim.age < known.age)):
                claims[claim.run] = claim  # refreshed twice (a refresh meeting a removal): the latest counts
        return sorted(claims.values(), key=lambda c: c.run)

    def _claim_update(self) -> str:
        return f"""PREFIX lock: <{self.terms}>
            INSERT {{ GRAPH <{self.graph}> {{
              <{self.claim}> lock:run {Literal(self.run).n3()} ; lock:host {Literal(self.host).n3()} ;
                lock:machine {Literal(self.machine).n3()} ; lock:pid {os.getpid()} ;
                lock:version {Literal(__version__).n3()} ; lock:since ?now ; lock:refreshed ?now .
            }} }}
            WHERE {{ FILTER NOT EXISTS {{ GRAPH <{self.graph}> {{ ?claim lock:run ?run }} }} BIND (NOW() AS ?now) }}"""

    def _withdraw_update(self) -> str:
        return f"DELETE WHERE {{ GRAPH <{self.graph}> {{ <{self.claim}> ?p ?o }} }}"

    def _removal_update(self, claim: _Claim) -> str:
        return f"""PREFIX lock: <{self.terms}>
            DELETE {{ GRAPH <{self.graph}> {{ ?claim ?p ?o }} }}
            WHERE {{ GRAPH <{self.graph}> {{ ?claim lock:run {Literal(claim.run).n3()} ; ?p ?o .
                     OPTIONAL {{ ?claim lock:refreshed ?refreshed }} }}
                     FILTER (COALESCE(STR(?refreshed), "") = {Literal(claim.refreshed).n3()}) }}"""

    def _refresh_update(self) -> str:
        return f"""PREFIX lock: <{self.terms}>
            DELETE {{ GRAPH <{self.graph}> {{ <{self.claim}> lock:refreshed ?before }} }}
            INSERT {{ GRAPH <{self.graph}> {{ <{self.claim}> lock:refreshed ?now }} }}
            WHERE {{ GRAPH <{self.graph}> {{ <{self.claim}> lock:run ?run ; lock:refreshed ?before }} BIND (NOW() AS ?now) }}"""

    def _beat(self) -> None:
        while not self._stop.wait(self.stale_after / 4):
            try:  # one attempt, not retried for minutes: releasing the lock waits for this thread
                self.server.update(self._refresh_update(), retries=0)
            except EndpointError:
                pass  # the server is away for now: confirm() finds out whether the claim survived

    def _withdraw_quietly(self) -> None:
        try:
            self.server.update(self._withdraw_update())
        except EndpointError:
            pass  # the server is gone: the claim is removed as abandoned by the next push


def _process_ended(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return True
    except (PermissionError, OverflowError):
        return False  # someone else's process, or no pid at all
    return False


def _seconds_between(earlier, later) -> float | None:
    """Seconds from one xsd:dateTime lexical form to another, None when either cannot be read."""
    try:
        start, end = (datetime.fromisoformat(str(t)) for t in (earlier, later))
        return (end - start).total_seconds()
    except (TypeError, ValueError):
        return None
