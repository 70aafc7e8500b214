"""The fake's own copy of the vendor's endpoint catalogue: ids, kinds and routes.

The fake routes by this table, never by the SDK's, so a wrong method or path in the
SDK meets the 404/405/501 a real Simotel would answer. It was generated once from the
vendor's ``endpoints.json`` (``tests/fixtures/endpoints.json``): per endpoint its id,
its kind and its v4 and v3 ``METHOD path``. ``tests/testing/test_fake_catalog.py``
checks the two still agree; change this table only when the vendor's catalogue does.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Literal

import attrs

__all__ = ["ENDPOINTS", "EXTRA_ROUTES", "Endpoint", "Kind", "Route", "endpoint"]

Kind = Literal["action", "search", "ordered", "upload", "download"]


@attrs.frozen
class Route:
    """An HTTP method and a path relative to ``/api/<version>/``."""

    method: str
    path: str


@attrs.frozen
class Endpoint:
    """One catalogued endpoint: its kind and where it lives in v4 and v3."""

    id: str
    kind: Kind
    v4: Route
    v3: Route | None


_TABLE: tuple[tuple[str, Kind, str, str | None], ...] = (
    ("setting.ping", "action", "POST setting/ping/act", None),
    ("call.originate", "action", "POST call/originate/act", "PUT call/originate/act"),
    ("pbx.users.add", "action", "POST pbx/users/add", "POST pbx/users"),
    ("pbx.users.search", "action", "POST pbx/users/search", "GET pbx/users"),
    ("pbx.users.update", "action", "POST pbx/users/update", "PUT pbx/users"),
    ("pbx.users.remove", "action", "POST pbx/users/remove", "DELETE pbx/users"),
    ("pbx.trunks.add", "action", "POST pbx/trunks/add", "POST pbx/trunks"),
    ("pbx.trunks.search", "action", "POST pbx/trunks/search", "GET pbx/trunks"),
    ("pbx.trunks.update", "action", "POST pbx/trunks/update", "PUT pbx/trunks"),
    ("pbx.trunks.remove", "action", "POST pbx/trunks/remove", "DELETE pbx/trunks"),
    ("pbx.queues.add", "action", "POST pbx/queues/add", "POST pbx/queues"),
    ("pbx.queues.search", "action", "POST pbx/queues/search", "GET pbx/queues"),
    ("pbx.queues.update", "action", "POST pbx/queues/update", "PUT pbx/queues"),
    ("pbx.queues.remove", "action", "POST pbx/queues/remove", "DELETE pbx/queues"),
    ("pbx.queues.addagent", "action", "POST pbx/queues/addagent", "PUT pbx/queues/addagent"),
    ("pbx.queues.pauseagent", "action", "POST pbx/queues/pauseagent", "PUT pbx/queues/pauseagent"),
    (
        "pbx.queues.resumeagent",
        "action",
        "POST pbx/queues/resumeagent",
        "PUT pbx/queues/resumeagent",
    ),
    (
        "pbx.queues.removeagent",
        "action",
        "POST pbx/queues/removeagent",
        "PUT pbx/queues/removeagent",
    ),
    (
        "pbx.queues.batchaddagent",
        "action",
        "POST pbx/queues/batchaddagent",
        "PUT pbx/queues/batchaddagent",
    ),
    (
        "pbx.queues.batchpauseagent",
        "action",
        "POST pbx/queues/batchpauseagent",
        "PUT pbx/queues/batchpauseagent",
    ),
    (
        "pbx.queues.batchresumeagent",
        "action",
        "POST pbx/queues/batchresumeagent",
        "PUT pbx/queues/batchresumeagent",
    ),
    (
        "pbx.queues.batchremoveagent",
        "action",
        "POST pbx/queues/batchremoveagent",
        "PUT pbx/queues/batchremoveagent",
    ),
    ("pbx.musiconholds.search", "action", "POST pbx/musiconholds/search", "GET pbx/musiconholds"),
    (
        "pbx.announcements.upload",
        "upload",
        "POST pbx/announcements/upload",
        "POST pbx/announcements/upload",
    ),
    ("pbx.announcements.add", "action", "POST pbx/announcements/add", "POST pbx/announcements"),
    (
        "pbx.announcements.search",
        "action",
        "POST pbx/announcements/search",
        "GET pbx/announcements",
    ),
    (
        "pbx.announcements.update",
        "action",
        "POST pbx/announcements/update",
        "PUT pbx/announcements",
    ),
    (
        "pbx.announcements.remove",
        "action",
        "POST pbx/announcements/remove",
        "DELETE pbx/announcements",
    ),
    (
        "voicemails.voicemails.add",
        "action",
        "POST voicemails/voicemails/add",
        "POST voicemails/voicemails",
    ),
    (
        "voicemails.voicemails.search",
        "action",
        "POST voicemails/voicemails/search",
        "GET voicemails/voicemails",
    ),
    (
        "voicemails.voicemails.update",
        "action",
        "POST voicemails/voicemails/update",
        "PUT voicemails/voicemails",
    ),
    (
        "voicemails.voicemails.remove",
        "action",
        "POST voicemails/voicemails/remove",
        "DELETE voicemails/voicemails",
    ),
    ("voicemails.inbox.search", "search", "POST voicemails/inbox/search", "GET voicemails/inbox"),
    (
        "voicemails.inbox.download",
        "download",
        "POST reports/audio/download",
        "GET voicemails/audio/download",
    ),
    ("pbx.blacklists.add", "action", "POST pbx/blacklists/add", "POST pbx/blacklists"),
    ("pbx.blacklists.search", "action", "POST pbx/blacklists/search", "GET pbx/blacklists"),
    ("pbx.blacklists.update", "action", "POST pbx/blacklists/update", "PUT pbx/blacklists"),
    ("pbx.blacklists.remove", "action", "POST pbx/blacklists/remove", "DELETE pbx/blacklists"),
    ("pbx.whitelists.add", "action", "POST pbx/whitelists/add", "POST pbx/whitelists"),
    ("pbx.whitelists.search", "action", "POST pbx/whitelists/search", "GET pbx/whitelists"),
    ("pbx.whitelists.update", "action", "POST pbx/whitelists/update", "PUT pbx/whitelists"),
    ("pbx.whitelists.remove", "action", "POST pbx/whitelists/remove", "DELETE pbx/whitelists"),
    ("pbx.faxes.upload", "upload", "POST pbx/faxes/upload", "POST pbx/faxes/upload"),
    ("pbx.faxes.add", "action", "POST pbx/faxes/add", "POST pbx/faxes"),
    ("pbx.faxes.search", "search", "POST pbx/faxes/search", "GET pbx/faxes"),
    ("pbx.faxes.download", "download", "POST pbx/faxes/download", "GET pbx/faxes/download"),
    ("reports.quick.search", "search", "POST reports/quick/search", "GET reports/quick"),
    ("reports.quick.info", "action", "POST reports/quick/info", "GET reports/quick/info"),
    (
        "reports.audio.download",
        "download",
        "POST reports/audio/download",
        "GET reports/audio/download",
    ),
    ("reports.cdr.search", "search", "POST reports/cdr/search", "GET reports/cdr"),
    ("reports.cdr.ordered", "ordered", "POST reports/cdr/ordered/id", "GET reports/cdr/ordered/id"),
    ("reports.queue.search", "search", "POST reports/queue/search", "GET reports/queue"),
    (
        "reports.queue.ordered",
        "ordered",
        "POST reports/queue/ordered/id",
        "GET reports/queue/ordered/id",
    ),
    (
        "reports.queue_details.search",
        "search",
        "POST reports/queue_details/search",
        "GET reports/queue_details",
    ),
    (
        "reports.queue_details.ordered",
        "ordered",
        "POST reports/queue_details/ordered/id",
        "GET reports/queue_details/ordered/id",
    ),
    ("reports.agent.search", "search", "POST reports/agent/search", "GET reports/agent"),
    ("reports.poll.search", "search", "POST reports/poll/search", "GET reports/poll"),
    (
        "autodialer.contacts.add",
        "action",
        "POST autodialer/contacts/add",
        "POST autodialer/contacts",
    ),
    (
        "autodialer.contacts.search",
        "search",
        "POST autodialer/contacts/search",
        "GET autodialer/contacts",
    ),
    (
        "autodialer.contacts.update",
        "action",
        "POST autodialer/contacts/update",
        "PUT autodialer/contacts",
    ),
    (
        "autodialer.contacts.remove",
        "action",
        "POST autodialer/contacts/remove",
        "DELETE autodialer/contacts",
    ),
    (
        "autodialer.groups.upload",
        "upload",
        "POST autodialer/groups/upload",
        "POST autodialer/groups/upload",
    ),
    ("autodialer.groups.add", "action", "POST autodialer/groups/add", "POST autodialer/groups"),
    (
        "autodialer.groups.search",
        "search",
        "POST autodialer/groups/search",
        "GET autodialer/groups",
    ),
    (
        "autodialer.groups.update",
        "action",
        "POST autodialer/groups/update",
        "PUT autodialer/groups",
    ),
    (
        "autodialer.groups.remove",
        "action",
        "POST autodialer/groups/remove",
        "DELETE autodialer/groups",
    ),
    (
        "autodialer.campaigns.add",
        "action",
        "POST autodialer/campaigns/add",
        "POST autodialer/campaigns",
    ),
    (
        "autodialer.campaigns.search",
        "search",
        "POST autodialer/campaigns/search",
        "GET autodialer/campaigns",
    ),
    (
        "autodialer.campaigns.update",
        "action",
        "POST autodialer/campaigns/update",
        "PUT autodialer/campaigns",
    ),
    (
        "autodialer.campaigns.remove",
        "action",
        "POST autodialer/campaigns/remove",
        "DELETE autodialer/campaigns",
    ),
    (
        "autodialer.announcements.upload",
        "upload",
        "POST autodialer/announcements/upload",
        "POST autodialer/announcements/upload",
    ),
    (
        "autodialer.announcements.add",
        "action",
        "POST autodialer/announcements/add",
        "POST autodialer/announcements",
    ),
    (
        "autodialer.announcements.search",
        "action",
        "POST autodialer/announcements/search",
        "GET autodialer/announcements",
    ),
    (
        "autodialer.announcements.update",
        "action",
        "POST autodialer/announcements/update",
        "PUT autodialer/announcements",
    ),
    (
        "autodialer.announcements.remove",
        "action",
        "POST autodialer/announcements/remove",
        "DELETE autodialer/announcements",
    ),
    (
        "autodialer.trunks.search",
        "action",
        "POST autodialer/trunks/search",
        "GET autodialer/trunks",
    ),
    (
        "autodialer.trunks.update",
        "action",
        "POST autodialer/trunks/update",
        "PUT autodialer/trunks",
    ),
    (
        "autodialer.reports.search",
        "search",
        "POST autodialer/reports/search",
        "GET autodialer/reports",
    ),
    (
        "autodialer.reports.ordered",
        "ordered",
        "POST autodialer/reports/ordered/id",
        "GET autodialer/reports/ordered/id",
    ),
    (
        "autodialer.reports.info",
        "action",
        "POST autodialer/reports/info",
        "GET autodialer/reports/info",
    ),
)


def _route(spec: str) -> Route:
    method, path = spec.split(" ", 1)
    return Route(method, path)


#: Every endpoint of the vendor's catalogue, by id.
ENDPOINTS: Mapping[str, Endpoint] = {
    id_: Endpoint(id_, kind, _route(v4), None if v3 is None else _route(v3))
    for id_, kind, v4, v3 in _TABLE
}

#: Routes the fake accepts beyond the vendor's table: ``(version, method, path, id)``.
EXTRA_ROUTES: tuple[tuple[str, str, str, str], ...] = (
    # The vendor's ping page uses POST in its PHP sample but PUT in the JS and curl ones.
    ("v4", "PUT", "setting/ping/act", "setting.ping"),
    # ASSUMPTION: ping has no v3 route in the vendor's catalogue (absent from the v3
    # Postman collections). v3 serves every other ``act`` service with PUT, so the fake,
    # like the SDK, takes ``PUT setting/ping/act`` as ping's v3 route.
    ("v3", "PUT", "setting/ping/act", "setting.ping"),
)


def endpoint(endpoint_id: str) -> Endpoint:
    """Look an endpoint up by id; ``ValueError`` with suggestions for a typo."""
    try:
        return ENDPOINTS[endpoint_id]
    except KeyError:
        close = difflib.get_close_matches(endpoint_id, ENDPOINTS, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise ValueError(f"unknown Simotel endpoint id {endpoint_id!r}{hint}") from None
