"""The one declarative table of Simotel API endpoints.

Every endpoint id of the vendor's catalog maps to its kind, its v4 and v3 routes and
whether it is safe to send twice. The client routes by this table; nothing else in the
package knows a path.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import attrs

__all__ = ["ENDPOINTS", "Endpoint", "Kind", "Method", "Route", "get_endpoint"]

Kind = Literal["action", "search", "ordered", "upload", "download"]
Method = Literal["GET", "POST", "PUT", "DELETE"]


@attrs.frozen
class Route:
    """One HTTP method and a path relative to ``/api/<version>/``."""

    method: Method
    path: str

    @classmethod
    def parse(cls, spec: str) -> Route:
        """Build a route from ``"METHOD path"``."""
        method, path = spec.split(" ", 1)
        return cls(method, path)  # type: ignore[arg-type]


@attrs.frozen
class Endpoint:
    """A catalogued endpoint: what it returns and where it lives in v4 and v3."""

    id: str
    kind: Kind
    v4: Route
    v3: Route | None
    idempotent: bool

    def route(self, api_version: str) -> Route:
        """The route for ``"v4"`` or ``"v3"``; ``ValueError`` when v3 has none."""
        if api_version == "v4":
            return self.v4
        if self.v3 is None:
            raise ValueError(f"{self.id} has no v3 route; use api_version='v4'")
        return self.v3

    def with_method(self, method: Method, *, api_version: str = "v4") -> Endpoint:
        """A copy with another HTTP method for one version (e.g. ping over PUT)."""
        if api_version == "v4":
            return attrs.evolve(self, v4=Route(method, self.v4.path))
        return attrs.evolve(self, v3=Route(method, self.route("v3").path))


def _e(id: str, kind: Kind, v4: str, v3: str | None, *, idempotent: bool) -> Endpoint:
    return Endpoint(id, kind, Route.parse(v4), Route.parse(v3) if v3 else None, idempotent)


# Idempotent: reads (searches, cursors, info, downloads, ping). Everything that changes
# state (add, update, remove, agent operations, originate, upload) is not: a retried
# originate dials a real phone twice.
_TABLE = (
    _e("setting.ping", "action", "POST setting/ping/act", None, idempotent=True),
    _e(
        "call.originate",
        "action",
        "POST call/originate/act",
        "PUT call/originate/act",
        idempotent=False,
    ),
    _e("pbx.users.add", "action", "POST pbx/users/add", "POST pbx/users", idempotent=False),
    _e("pbx.users.search", "action", "POST pbx/users/search", "GET pbx/users", idempotent=True),
    _e("pbx.users.update", "action", "POST pbx/users/update", "PUT pbx/users", idempotent=False),
    _e("pbx.users.remove", "action", "POST pbx/users/remove", "DELETE pbx/users", idempotent=False),
    _e("pbx.trunks.add", "action", "POST pbx/trunks/add", "POST pbx/trunks", idempotent=False),
    _e("pbx.trunks.search", "action", "POST pbx/trunks/search", "GET pbx/trunks", idempotent=True),
    _e("pbx.trunks.update", "action", "POST pbx/trunks/update", "PUT pbx/trunks", idempotent=False),
    _e(
        "pbx.trunks.remove",
        "action",
        "POST pbx/trunks/remove",
        "DELETE pbx/trunks",
        idempotent=False,
    ),
    _e("pbx.queues.add", "action", "POST pbx/queues/add", "POST pbx/queues", idempotent=False),
    _e("pbx.queues.search", "action", "POST pbx/queues/search", "GET pbx/queues", idempotent=True),
    _e("pbx.queues.update", "action", "POST pbx/queues/update", "PUT pbx/queues", idempotent=False),
    _e(
        "pbx.queues.remove",
        "action",
        "POST pbx/queues/remove",
        "DELETE pbx/queues",
        idempotent=False,
    ),
    _e(
        "pbx.queues.addagent",
        "action",
        "POST pbx/queues/addagent",
        "PUT pbx/queues/addagent",
        idempotent=False,
    ),
    _e(
        "pbx.queues.pauseagent",
        "action",
        "POST pbx/queues/pauseagent",
        "PUT pbx/queues/pauseagent",
        idempotent=False,
    ),
    _e(
        "pbx.queues.resumeagent",
        "action",
        "POST pbx/queues/resumeagent",
        "PUT pbx/queues/resumeagent",
        idempotent=False,
    ),
    _e(
        "pbx.queues.removeagent",
        "action",
        "POST pbx/queues/removeagent",
        "PUT pbx/queues/removeagent",
        idempotent=False,
    ),
    _e(
        "pbx.queues.batchaddagent",
        "action",
        "POST pbx/queues/batchaddagent",
        "PUT pbx/queues/batchaddagent",
        idempotent=False,
    ),
    _e(
        "pbx.queues.batchpauseagent",
        "action",
        "POST pbx/queues/batchpauseagent",
        "PUT pbx/queues/batchpauseagent",
        idempotent=False,
    ),
    _e(
        "pbx.queues.batchresumeagent",
        "action",
        "POST pbx/queues/batchresumeagent",
        "PUT pbx/queues/batchresumeagent",
        idempotent=False,
    ),
    _e(
        "pbx.queues.batchremoveagent",
        "action",
        "POST pbx/queues/batchremoveagent",
        "PUT pbx/queues/batchremoveagent",
        idempotent=False,
    ),
    _e(
        "pbx.musiconholds.search",
        "action",
        "POST pbx/musiconholds/search",
        "GET pbx/musiconholds",
        idempotent=True,
    ),
    _e(
        "pbx.announcements.upload",
        "upload",
        "POST pbx/announcements/upload",
        "POST pbx/announcements/upload",
        idempotent=False,
    ),
    _e(
        "pbx.announcements.add",
        "action",
        "POST pbx/announcements/add",
        "POST pbx/announcements",
        idempotent=False,
    ),
    _e(
        "pbx.announcements.search",
        "action",
        "POST pbx/announcements/search",
        "GET pbx/announcements",
        idempotent=True,
    ),
    _e(
        "pbx.announcements.update",
        "action",
        "POST pbx/announcements/update",
        "PUT pbx/announcements",
        idempotent=False,
    ),
    _e(
        "pbx.announcements.remove",
        "action",
        "POST pbx/announcements/remove",
        "DELETE pbx/announcements",
        idempotent=False,
    ),
    _e(
        "voicemails.voicemails.add",
        "action",
        "POST voicemails/voicemails/add",
        "POST voicemails/voicemails",
        idempotent=False,
    ),
    _e(
        "voicemails.voicemails.search",
        "action",
        "POST voicemails/voicemails/search",
        "GET voicemails/voicemails",
        idempotent=True,
    ),
    _e(
        "voicemails.voicemails.update",
        "action",
        "POST voicemails/voicemails/update",
        "PUT voicemails/voicemails",
        idempotent=False,
    ),
    _e(
        "voicemails.voicemails.remove",
        "action",
        "POST voicemails/voicemails/remove",
        "DELETE voicemails/voicemails",
        idempotent=False,
    ),
    _e(
        "voicemails.inbox.search",
        "search",
        "POST voicemails/inbox/search",
        "GET voicemails/inbox",
        idempotent=True,
    ),
    _e(
        "voicemails.inbox.download",
        "download",
        "POST reports/audio/download",
        "GET voicemails/audio/download",
        idempotent=True,
    ),
    _e(
        "pbx.blacklists.add",
        "action",
        "POST pbx/blacklists/add",
        "POST pbx/blacklists",
        idempotent=False,
    ),
    _e(
        "pbx.blacklists.search",
        "action",
        "POST pbx/blacklists/search",
        "GET pbx/blacklists",
        idempotent=True,
    ),
    _e(
        "pbx.blacklists.update",
        "action",
        "POST pbx/blacklists/update",
        "PUT pbx/blacklists",
        idempotent=False,
    ),
    _e(
        "pbx.blacklists.remove",
        "action",
        "POST pbx/blacklists/remove",
        "DELETE pbx/blacklists",
        idempotent=False,
    ),
    _e(
        "pbx.whitelists.add",
        "action",
        "POST pbx/whitelists/add",
        "POST pbx/whitelists",
        idempotent=False,
    ),
    _e(
        "pbx.whitelists.search",
        "action",
        "POST pbx/whitelists/search",
        "GET pbx/whitelists",
        idempotent=True,
    ),
    _e(
        "pbx.whitelists.update",
        "action",
        "POST pbx/whitelists/update",
        "PUT pbx/whitelists",
        idempotent=False,
    ),
    _e(
        "pbx.whitelists.remove",
        "action",
        "POST pbx/whitelists/remove",
        "DELETE pbx/whitelists",
        idempotent=False,
    ),
    _e(
        "pbx.faxes.upload",
        "upload",
        "POST pbx/faxes/upload",
        "POST pbx/faxes/upload",
        idempotent=False,
    ),
    _e("pbx.faxes.add", "action", "POST pbx/faxes/add", "POST pbx/faxes", idempotent=False),
    _e("pbx.faxes.search", "search", "POST pbx/faxes/search", "GET pbx/faxes", idempotent=True),
    _e(
        "pbx.faxes.download",
        "download",
        "POST pbx/faxes/download",
        "GET pbx/faxes/download",
        idempotent=True,
    ),
    _e(
        "reports.quick.search",
        "search",
        "POST reports/quick/search",
        "GET reports/quick",
        idempotent=True,
    ),
    _e(
        "reports.quick.info",
        "action",
        "POST reports/quick/info",
        "GET reports/quick/info",
        idempotent=True,
    ),
    _e(
        "reports.audio.download",
        "download",
        "POST reports/audio/download",
        "GET reports/audio/download",
        idempotent=True,
    ),
    _e(
        "reports.cdr.search",
        "search",
        "POST reports/cdr/search",
        "GET reports/cdr",
        idempotent=True,
    ),
    _e(
        "reports.cdr.ordered",
        "ordered",
        "POST reports/cdr/ordered/id",
        "GET reports/cdr/ordered/id",
        idempotent=True,
    ),
    _e(
        "reports.queue.search",
        "search",
        "POST reports/queue/search",
        "GET reports/queue",
        idempotent=True,
    ),
    _e(
        "reports.queue.ordered",
        "ordered",
        "POST reports/queue/ordered/id",
        "GET reports/queue/ordered/id",
        idempotent=True,
    ),
    _e(
        "reports.queue_details.search",
        "search",
        "POST reports/queue_details/search",
        "GET reports/queue_details",
        idempotent=True,
    ),
    _e(
        "reports.queue_details.ordered",
        "ordered",
        "POST reports/queue_details/ordered/id",
        "GET reports/queue_details/ordered/id",
        idempotent=True,
    ),
    _e(
        "reports.agent.search",
        "search",
        "POST reports/agent/search",
        "GET reports/agent",
        idempotent=True,
    ),
    _e(
        "reports.poll.search",
        "search",
        "POST reports/poll/search",
        "GET reports/poll",
        idempotent=True,
    ),
    _e(
        "autodialer.contacts.add",
        "action",
        "POST autodialer/contacts/add",
        "POST autodialer/contacts",
        idempotent=False,
    ),
    _e(
        "autodialer.contacts.search",
        "search",
        "POST autodialer/contacts/search",
        "GET autodialer/contacts",
        idempotent=True,
    ),
    _e(
        "autodialer.contacts.update",
        "action",
        "POST autodialer/contacts/update",
        "PUT autodialer/contacts",
        idempotent=False,
    ),
    _e(
        "autodialer.contacts.remove",
        "action",
        "POST autodialer/contacts/remove",
        "DELETE autodialer/contacts",
        idempotent=False,
    ),
    _e(
        "autodialer.groups.upload",
        "upload",
        "POST autodialer/groups/upload",
        "POST autodialer/groups/upload",
        idempotent=False,
    ),
    _e(
        "autodialer.groups.add",
        "action",
        "POST autodialer/groups/add",
        "POST autodialer/groups",
        idempotent=False,
    ),
    _e(
        "autodialer.groups.search",
        "search",
        "POST autodialer/groups/search",
        "GET autodialer/groups",
        idempotent=True,
    ),
    _e(
        "autodialer.groups.update",
        "action",
        "POST autodialer/groups/update",
        "PUT autodialer/groups",
        idempotent=False,
    ),
    _e(
        "autodialer.groups.remove",
        "action",
        "POST autodialer/groups/remove",
        "DELETE autodialer/groups",
        idempotent=False,
    ),
    _e(
        "autodialer.campaigns.add",
        "action",
        "POST autodialer/campaigns/add",
        "POST autodialer/campaigns",
        idempotent=False,
    ),
    _e(
        "autodialer.campaigns.search",
        "search",
        "POST autodialer/campaigns/search",
        "GET autodialer/campaigns",
        idempotent=True,
    ),
    _e(
        "autodialer.campaigns.update",
        "action",
        "POST autodialer/campaigns/update",
        "PUT autodialer/campaigns",
        idempotent=False,
    ),
    _e(
        "autodialer.campaigns.remove",
        "action",
        "POST autodialer/campaigns/remove",
        "DELETE autodialer/campaigns",
        idempotent=False,
    ),
    _e(
        "autodialer.announcements.upload",
        "upload",
        "POST autodialer/announcements/upload",
        "POST autodialer/announcements/upload",
        idempotent=False,
    ),
    _e(
        "autodialer.announcements.add",
        "action",
        "POST autodialer/announcements/add",
        "POST autodialer/announcements",
        idempotent=False,
    ),
    _e(
        "autodialer.announcements.search",
        "action",
        "POST autodialer/announcements/search",
        "GET autodialer/announcements",
        idempotent=True,
    ),
    _e(
        "autodialer.announcements.update",
        "action",
        "POST autodialer/announcements/update",
        "PUT autodialer/announcements",
        idempotent=False,
    ),
    _e(
        "autodialer.announcements.remove",
        "action",
        "POST autodialer/announcements/remove",
        "DELETE autodialer/announcements",
        idempotent=False,
    ),
    _e(
        "autodialer.trunks.search",
        "action",
        "POST autodialer/trunks/search",
        "GET autodialer/trunks",
        idempotent=True,
    ),
    _e(
        "autodialer.trunks.update",
        "action",
        "POST autodialer/trunks/update",
        "PUT autodialer/trunks",
        idempotent=False,
    ),
    _e(
        "autodialer.reports.search",
        "search",
        "POST autodialer/reports/search",
        "GET autodialer/reports",
        idempotent=True,
    ),
    _e(
        "autodialer.reports.ordered",
        "ordered",
        "POST autodialer/reports/ordered/id",
        "GET autodialer/reports/ordered/id",
        idempotent=True,
    ),
    _e(
        "autodialer.reports.info",
        "action",
        "POST autodialer/reports/info",
        "GET autodialer/reports/info",
        idempotent=True,
    ),
)

ENDPOINTS: Mapping[str, Endpoint] = {e.id: e for e in _TABLE}


def get_endpoint(endpoint_id: str) -> Endpoint:
    """Look an endpoint up by id, with a helpful error for a typo."""
    try:
        return ENDPOINTS[endpoint_id]
    except KeyError:
        import difflib

        close = difflib.get_close_matches(endpoint_id, ENDPOINTS, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise ValueError(f"unknown Simotel endpoint id {endpoint_id!r}{hint}") from None
