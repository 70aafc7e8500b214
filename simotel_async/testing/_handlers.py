"""The PBX behind the fake: one handler per endpoint id, over the in-memory database."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

import attrs

from ._calendar import TEHRAN, jalali, mongo_date
from ._catalog import ENDPOINTS
from ._data import DEFAULTS, Seeder, campaign_record, upload_name
from ._files import StoredFile
from ._protocol import (
    DONE,
    FAILED,
    Call,
    FileReply,
    Missing,
    Ok,
    OperationFailed,
    Raw,
    Reply,
    missing_field,
)
from ._search import SPECS, Spec, ordered, search_list, search_page
from ._store import Database

__all__ = ["OriginatedCall", "PageServed", "Pbx"]

_PING = "If the 'Ping' event is enabled in the settings menu, you'll receive it when it's sent"
_AGENT_OPS = {
    "addagent": "Added successfully",
    "pauseagent": "Paused successfully",
    "resumeagent": "UnPaused successfully",
    "removeagent": "Removed successfully",
}
_UPLOADS = {
    "pbx.announcements.upload": ("_.wav", "", "1 file(s) uploaded successfully"),
    "pbx.faxes.upload": ("_.tiff", "sen_", "1 file(s) uploaded successfully"),
    "autodialer.announcements.upload": ("_.wav", "", ""),
    "autodialer.groups.upload": (None, "", ""),
}
_COLLECTION_OF = {"reports.quick": "reports.cdr"}


@attrs.frozen(kw_only=True)
class OriginatedCall:
    """A call placed through ``call.originate``: what was asked and the id handed back."""

    originated_call_id: str
    caller: str
    callee: str
    context: str
    caller_id: str
    trunk_name: str
    timeout: str
    call_limit: str
    body: Mapping[str, Any] = attrs.field(repr=False)


@attrs.frozen(kw_only=True)
class PageServed:
    """One page of a paginated search or cursor the fake just served.

    ``number`` counts pages served for this endpoint, from 1. ``start`` and ``total``
    are set for paginated searches, ``last_id`` for ``ordered`` cursors.
    """

    endpoint_id: str
    collection: str
    number: int
    ids: tuple[str, ...]
    start: int | None = None
    total: int | None = None
    last_id: str | None = None


def _required(body: Mapping[str, Any], fields: tuple[str, ...]) -> None:
    for name in fields:
        if body.get(name) in (None, "", [], {}):
            raise missing_field(name)


def _numbers_in(file: StoredFile) -> list[str]:
    text = file.content().decode("utf-8", "replace")
    rows = (row[0].strip() for row in csv.reader(io.StringIO(text)) if row)
    return [n for n in rows if n.lstrip("+").isdigit()]


def _request_time(value: object) -> float:
    try:
        moment = datetime.strptime(str(value).strip(), "%Y-%m-%d %H:%M")
    except ValueError:
        raise OperationFailed() from None
    return moment.replace(tzinfo=TEHRAN).timestamp()


class Pbx:
    """Application logic of the fake: endpoint id + body in, reply out (no HTTP)."""

    def __init__(self, db: Database, seeder: Seeder) -> None:
        self.db = db
        self.seeder = seeder
        self.originated_calls: list[OriginatedCall] = []
        self.page_hooks: list[Callable[[PageServed], None]] = []
        self.max_page_size: int | None = None
        self._pages: dict[str, int] = {}
        self._special: dict[str, Callable[[Call], Reply]] = {
            "setting.ping": lambda call: Ok(None, message=_PING),
            "call.originate": self._originate,
            "pbx.users.add": self._add_user,
            "pbx.faxes.add": self._add_fax,
            "reports.quick.info": self._quick_info,
            "reports.audio.download": self._download_audio,
            "voicemails.inbox.download": self._download_audio,
            "pbx.faxes.download": self._download_fax,
            "autodialer.groups.add": self._add_group,
            "autodialer.groups.update": self._update_group,
            "autodialer.campaigns.add": self._add_campaign,
            "autodialer.campaigns.update": self._update_campaign,
            "autodialer.reports.info": self._dialer_call_info,
        }

    def dispatch(self, call: Call) -> Reply:
        """Run the handler of ``call.endpoint_id``."""
        special = self._special.get(call.endpoint_id)
        if special is not None:
            return special(call)
        group, resource, action = call.endpoint_id.split(".")
        name = f"{group}.{resource}"
        collection = _COLLECTION_OF.get(name, name)
        spec = SPECS[name]
        kind = ENDPOINTS[call.endpoint_id].kind
        if kind == "upload":
            return self._upload(call)
        if kind == "search":
            reply, start, records, total = search_page(
                self.db[collection], call, spec, max_page_size=self.max_page_size
            )
            self._served(call, collection, records, start=start, total=total)
            return reply
        if kind == "ordered":
            reply, records, last_id = ordered(self.db[collection], call, spec)
            self._served(call, collection, records, last_id=last_id)
            return reply
        if action == "search":
            return search_list(self.db[collection], call, spec)
        if action == "add":
            return self._add(call, collection, spec)
        if action == "update":
            self._update(call, collection, spec)
            return Ok("")
        if action == "remove":
            self._remove(call, collection)
            return Ok("")
        if action in _AGENT_OPS:
            return self._agent(call, action)
        return self._agents(call, action.removeprefix("batch"))

    def _served(
        self,
        call: Call,
        collection: str,
        records: list[dict[str, Any]],
        *,
        start: int | None = None,
        total: int | None = None,
        last_id: str | None = None,
    ) -> None:
        number = self._pages[call.endpoint_id] = self._pages.get(call.endpoint_id, 0) + 1
        page = PageServed(
            endpoint_id=call.endpoint_id,
            collection=collection,
            number=number,
            ids=tuple(r["_id"] for r in records),
            start=start,
            total=total,
            last_id=last_id,
        )
        for hook in list(self.page_hooks):
            hook(page)

    # -- generic CRUD ----------------------------------------------------------------

    def _check_unique(
        self, collection: str, fields: Mapping[str, Any], spec: Spec, *, own_id: str | None = None
    ) -> None:
        for field, message in spec.unique:
            if field in fields and any(
                doc["_id"] != own_id for doc in self.db[collection].where(field, str(fields[field]))
            ):
                raise OperationFailed(message)

    def _new(self, call: Call, collection: str, spec: Spec, **extra: Any) -> dict[str, Any]:
        _required(call.body, spec.required)
        fields = {k: v for k, v in call.body.items() if k not in ("_id", "id")}
        self._check_unique(collection, fields, spec)
        when = self.db.tick()
        doc = {**DEFAULTS.get(collection, {}), **fields, **extra, "date": jalali(when)}
        return self.db.insert(collection, doc, when)

    def _add(self, call: Call, collection: str, spec: Spec) -> Ok:
        stored = self._new(call, collection, spec)
        return Ok({"_id": None if spec.null_add_id else stored["_id"]})

    def _existing(self, call: Call, collection: str) -> dict[str, Any]:
        doc = self.db[collection].get(call.record_id())
        if doc is None:
            raise OperationFailed()
        return doc

    def _update(self, call: Call, collection: str, spec: Spec, **extra: Any) -> dict[str, Any]:
        doc = self._existing(call, collection)
        fields = {k: v for k, v in call.body.items() if k not in ("_id", "id")}
        self._check_unique(collection, fields, spec, own_id=doc["_id"])
        updated = {**doc, **fields, **extra}
        self.db[collection].replace(updated)
        return updated

    def _remove(self, call: Call, collection: str) -> None:
        doc = self._existing(call, collection)
        self.db[collection].delete(doc["_id"])
        number = str(doc.get("number", ""))
        if collection == "pbx.queues":
            for agent in self.db.members.pop(number, {}):
                self._user_queues(agent, number, add=False)
        elif collection == "pbx.users":
            for members in self.db.members.values():
                members.pop(number, None)

    # -- queue agents ----------------------------------------------------------------

    def _agent_result(self, item: Mapping[str, Any], op: str) -> tuple[bool, str]:
        fields = ("queue", "source", "agent") if op == "addagent" else ("queue", "agent")
        try:
            _required(item, fields)
        except OperationFailed as failed:
            return False, failed.message
        queue, agent = str(item["queue"]), str(item["agent"])
        if not self.db["pbx.queues"].where("number", queue):
            return False, "Queue not found"
        members = self.db.members.setdefault(queue, {})
        if op == "addagent":
            if agent in members:
                return False, "Agent already exists in this queue"
            members[agent] = {
                "source": str(item["source"]),
                "penalty": str(item.get("penalty", "")),
                "paused": False,
            }
            self._user_queues(agent, queue, add=True)
        elif agent not in members:
            return False, "Agent not found in this queue"
        elif op == "removeagent":
            del members[agent]
            self._user_queues(agent, queue, add=False)
        else:
            members[agent]["paused"] = op == "pauseagent"
        return True, _AGENT_OPS[op]

    def _user_queues(self, agent: str, queue: str, *, add: bool) -> None:
        users = self.db["pbx.users"]
        for user in users.where("number", agent):
            queues = [q for q in user.get("queues", []) if q != queue] + ([queue] if add else [])
            users.replace({**user, "queues": queues})

    def _agent(self, call: Call, op: str) -> Ok:
        ok, message = self._agent_result(call.body, op)
        if not ok:
            # Assumption, from servers seen in the field: the envelope carries the generic
            # failure and data.message the reason.
            raise OperationFailed(FAILED, {"message": message, "ok": 0})
        return Ok({"message": message, "ok": 1}, message="")

    def _agents(self, call: Call, op: str) -> Ok:
        agents = call.body.get("agents")
        if not isinstance(agents, list) or not agents:
            raise missing_field("agents")
        results, all_ok = [], True
        for item in agents:
            entry = item if isinstance(item, Mapping) else {}
            ok, message = self._agent_result(entry, op)
            all_ok = all_ok and ok
            if op == "addagent":
                result = {
                    "agents": entry.get("agent", ""),
                    "message": message,
                    "ok": int(ok),
                    "penalty": entry.get("penalty", ""),
                    "queue": entry.get("queue", ""),
                    "source": entry.get("source", ""),
                }
            else:
                result = {
                    "agent": entry.get("agent", ""),
                    "message": message,
                    "ok": int(ok),
                    "queue": entry.get("queue", ""),
                }
            results.append(result)
        return Ok({"Data": results, "ok": int(all_ok)}, message="")

    # -- special endpoints -----------------------------------------------------------

    def _originate(self, call: Call) -> Ok:
        body = call.body
        _required(body, ("caller", "callee", "context", "caller_id"))
        when = self.db.tick()
        call_id = f"orig.call.{int(when)}.{self.db.rng.randrange(10**6):06d}"
        self.originated_calls.append(
            OriginatedCall(
                originated_call_id=call_id,
                **{
                    name: str(body.get(name, ""))
                    for name in (
                        "caller",
                        "callee",
                        "context",
                        "caller_id",
                        "trunk_name",
                        "timeout",
                        "call_limit",
                    )
                },
                body=dict(body),
            )
        )
        self.seeder.originated_call(when, body, call_id)
        return Ok({"originated_call_id": call_id}, message=None)

    def _add_user(self, call: Call) -> Raw:
        stored = self._new(call, "pbx.users", SPECS["pbx.users"], queues=[])
        return Raw(
            {
                "status": "success",
                "message": "User created successfully",
                "user_id": stored["number"],
            }
        )

    def _add_fax(self, call: Call) -> Ok:
        body, when = call.body, self.db.tick()
        to, trunk, ext = (str(body.get(k, "")) for k in ("to", "trunk_name", "ext"))
        doc = {
            "type": "outbox",
            "src": ext,
            "dst": to,
            "status": "SENDING",
            "file": str(body.get("file", "")),
            "description": str(body.get("description", "")),
            "date": jalali(when),
            "ext": ext,
            "trunk": trunk,
            "channel": f"SIP/{trunk}/{to}",
            "sender_id": str(body.get("sender_id", "")),
        }
        if "text" in body:
            doc["text"] = body["text"]
        return Ok({"_id": self.db.insert("pbx.faxes", doc, when)["_id"]})

    def _quick_info(self, call: Call) -> Ok:
        _required(call.body, ("cuid",))
        rows = self.db["reports.queue_details"].where("cuid", str(call.body["cuid"]))
        return Ok(rows, message="")

    def _download_audio(self, call: Call) -> Reply:
        name = call.body.get("file")
        if name is None and call.api_version == "v3":
            name = call.body.get("id")
        if name in (None, ""):
            raise missing_field("file")
        stored = self.db.files.get(str(name))
        return Missing() if stored is None else FileReply(stored)

    def _download_fax(self, call: Call) -> Reply:
        fax = self.db["pbx.faxes"].get(call.record_id())
        stored = None if fax is None else self.db.files.get(str(fax.get("file", "")))
        return Missing() if stored is None else FileReply(stored)

    def _upload(self, call: Call) -> Ok:
        upload = next((u for u in call.uploads if u.field == "file"), None)
        if upload is None:
            raise missing_field("file")
        suffix, prefix, message = _UPLOADS[call.endpoint_id]
        original = upload.filename or "upload"
        if suffix is None:
            suffix = original[original.rfind(".") :] if "." in original else ""
        when = self.db.tick()
        name = prefix + upload_name(when, self.db.rng.randrange(10**5), original, suffix=suffix)
        self.db.files[name] = StoredFile.of(name, upload.data)
        return Ok({"filename": name}, message=message)

    def _group_numbers(self, body: Mapping[str, Any]) -> list[str] | None:
        if body.get("numbers") not in (None, ""):
            numbers = body["numbers"]
            return [str(n) for n in numbers] if isinstance(numbers, list) else [str(numbers)]
        if body.get("filename"):
            stored = self.db.files.get(str(body["filename"]))
            if stored is None:
                raise OperationFailed()
            return _numbers_in(stored)
        return None

    def _add_group(self, call: Call) -> Ok:
        spec = SPECS["autodialer.groups"]
        _required(call.body, spec.required)
        numbers = self._group_numbers(call.body) or []
        fields = {k: v for k, v in call.body.items() if k not in ("_id", "filename")}
        call = attrs.evolve(call, body={**fields, "numbers": numbers, "count": len(numbers)})
        return self._add(call, "autodialer.groups", spec)

    def _update_group(self, call: Call) -> Ok:
        numbers = self._group_numbers(call.body)
        extra = {} if numbers is None else {"numbers": numbers, "count": len(numbers)}
        body = {k: v for k, v in call.body.items() if k != "filename"}
        updated = self._update(
            attrs.evolve(call, body=body), "autodialer.groups", SPECS["autodialer.groups"], **extra
        )
        data = {k: updated.get(k) for k in ("name", "numbers", "description")}
        return Ok({**data, "date": mongo_date(self.db.tick()), "count": updated.get("count", 0)})

    def _campaign_times(
        self, body: Mapping[str, Any], current: Mapping[str, Any]
    ) -> dict[str, Any]:
        times: dict[str, Any] = {}
        for field, iso in (("start", "isoStart"), ("end", "isoEnd")):
            if body.get(field):
                moment = _request_time(body[field])
                times[field], times[iso] = jalali(moment), mongo_date(moment)
            elif field in current:
                times[field], times[iso] = current[field], current.get(iso)
        return times

    def _add_campaign(self, call: Call) -> Ok:
        body, spec = call.body, SPECS["autodialer.campaigns"]
        _required(body, spec.required)
        when = self.db.tick()
        start = _request_time(body["start"]) if body.get("start") else when
        end = _request_time(body["end"]) if body.get("end") else start + 86400
        numbers = body["numbers"] if isinstance(body.get("numbers"), list) else []
        groups = [self.db["autodialer.groups"].get(str(g)) for g in body.get("groups") or []]
        count = body.get("count", len(numbers) + sum(g.get("count", 0) for g in groups if g))
        fields = {k: v for k, v in body.items() if k not in ("_id", "start", "end", "count")}
        doc = campaign_record(
            {**fields, "count": count}, start=start, end=end, created=when, status="waiting"
        )
        return Ok({"_id": self.db.insert("autodialer.campaigns", doc, when)["_id"]})

    def _update_campaign(self, call: Call) -> Ok:
        current = self._existing(call, "autodialer.campaigns")
        times = self._campaign_times(call.body, current)
        body = {k: v for k, v in call.body.items() if k not in ("start", "end")}
        self._update(
            attrs.evolve(call, body=body),
            "autodialer.campaigns",
            SPECS["autodialer.campaigns"],
            **times,
        )
        return Ok({"count": 0})

    def _dialer_call_info(self, call: Call) -> Ok:
        wanted = call.record_id()
        for report in self.db["autodialer.reports"]:
            cdr_ids = [t.get("cdr_id", {}).get("$oid") for t in report.get("tries", [])]
            if report["_id"] == wanted or wanted in cdr_ids:
                billsec, wait = int(report.get("billsec", 0)), int(report.get("wait", 0))
                return Ok(
                    {
                        "dcontext": "autodialer",
                        "amaflags": "DOCUMENTATION",
                        "channel": f"SIP/autodialer-{wanted[-8:]}",
                        "duration": billsec + wait,
                        "wait": wait,
                    },
                    message=DONE,
                )
        raise OperationFailed()
