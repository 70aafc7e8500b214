"""Seeded call records: CDR rows and what queue calls leave behind.

One incoming call that waits in a queue produces a CDR row, one ``reports.queue`` row,
a ``reports.queue_details`` row per agent it rang, and sometimes a poll answer; all
share the call's ``cuid`` / ``uniqueid`` like on a real server. Field names, order and
date styles follow the documented samples (Jalali ``start``, Gregorian ``answer``,
``{"$date": ...}`` route entries and, now and then, ``endtime``).
"""

from __future__ import annotations

from typing import Any

import attrs

from ._calendar import compact, gregorian, hhmmss, jalali, mongo_date
from ._files import StoredFile
from ._store import Database

__all__ = ["CallContext", "CallPlan", "add_call", "agent_session", "plan_call"]

_DISPOSITIONS = ("ANSWERED", "NO ANSWER", "BUSY", "FAILED")
_DISPOSITION_WEIGHTS = (62, 22, 9, 7)
_LABELS = ("sale", "support", "quality", "billing")


@attrs.define
class CallContext:
    """What exists on the PBX, so generated calls refer to real extensions and queues."""

    db: Database
    extensions: list[str]
    names: dict[str, str]
    trunks: list[str]
    queues: dict[str, list[str]]
    dids: list[str]
    sequence: int = 1000
    channel: int = 0x1000

    def next_sequence(self) -> int:
        """Asterisk's ever-growing call counter."""
        self.sequence += 1 + self.db.rng.randrange(3)
        return self.sequence

    def next_channel(self) -> str:
        """A channel suffix like ``-000011f1``."""
        self.channel += 1
        return f"{self.channel:08x}"

    def external_number(self) -> str:
        """A mobile or landline number."""
        rng = self.db.rng
        if rng.random() < 0.6:
            return f"09{rng.choice('01239')}{rng.randrange(10**8):08d}"
        return f"0{rng.choice(('21', '51', '31', '71'))}{rng.randrange(10**8):08d}"


@attrs.define
class CallPlan:
    """The outline of one call before it becomes records."""

    type: str
    src: str
    dst: str
    disposition: str
    wait: int
    billsec: int
    trunk: str
    queue: str | None = None
    originated_call_id: str | None = None


def plan_call(ctx: CallContext) -> CallPlan:
    """A random but plausible call."""
    rng = ctx.db.rng
    disposition = rng.choices(_DISPOSITIONS, _DISPOSITION_WEIGHTS)[0]
    answered = disposition == "ANSWERED"
    wait = rng.randrange(1, 25)
    billsec = rng.randrange(4, 900) if answered else 0
    trunk = rng.choice(ctx.trunks)
    roll = rng.random()
    if roll < 0.55:
        queue = rng.choice(list(ctx.queues)) if ctx.queues and rng.random() < 0.7 else None
        if queue is not None and disposition in ("BUSY", "FAILED"):
            disposition, billsec = "NO ANSWER", 0
        dst = rng.choice(ctx.dids)
        return CallPlan(
            "incoming", ctx.external_number(), dst, disposition, wait, billsec, trunk, queue
        )
    src = rng.choice(ctx.extensions)
    if roll < 0.85:
        return CallPlan("outgoing", src, ctx.external_number(), disposition, wait, billsec, trunk)
    return CallPlan("local", src, rng.choice(ctx.extensions), disposition, wait, billsec, trunk)


def _route(ctx: CallContext, plan: CallPlan, start: float) -> list[dict[str, Any]]:
    rng = ctx.db.rng
    if plan.type == "incoming":
        steps = [("IncomingRoute", "Incoming Route"), ("Announcement", "Welcome")]
        steps.append(("Queue", f"queue {plan.queue}") if plan.queue else ("Exten", "Exten"))
    elif plan.type == "outgoing":
        steps = [("OutgoingRoute", "Outgoing Route"), ("Trunk", "Trunk")]
    else:
        steps = [("OutgoingRoute", "Outgoing Route"), ("Exten", "Exten")]
    route, offset = [], 0.0
    for step_type, name in steps:
        duration = round(rng.uniform(0.005, 4.0), 6)
        offset += duration
        moment = start + offset
        route.append(
            {"type": step_type, "name": name, "duration": duration, "date": mongo_date(moment)}
        )
    return route


def add_call(
    ctx: CallContext, plan: CallPlan, start: float, *, poll_chance: float = 0.3
) -> dict[str, Any]:
    """Store the CDR row of ``plan`` (and its queue and poll rows); return the CDR row."""
    rng, db = ctx.db.rng, ctx.db
    sequence = ctx.next_sequence()
    cuid = f"{int(start)}.{sequence}"
    answered = plan.disposition == "ANSWERED"
    duration = plan.wait + plan.billsec
    agent = None
    if plan.queue:
        agent = rng.choice(ctx.queues[plan.queue] or ctx.extensions)
    if plan.type == "incoming":
        channel = f"SIP/{plan.trunk}-{ctx.next_channel()}"
        target = agent or rng.choice(ctx.extensions)
        dstchannel = f"SIP/{target}-{ctx.next_channel()}" if answered else ""
        lastapp, lastdata, dcontext = ("Dial", f"SIP/{target},30,TtKk", "incoming")
    else:
        channel = f"SIP/{plan.src}-{ctx.next_channel()}"
        via = plan.trunk if plan.type == "outgoing" else plan.dst
        dstchannel = f"SIP/{via}-{ctx.next_channel()}"
        lastdata = (
            f"SIP/{plan.trunk}/{plan.dst},30,TtKk"
            if plan.type == "outgoing"
            else f"SIP/{plan.dst},30,TtKk"
        )
        lastapp, dcontext = "Dial", "main_routing"
        if plan.disposition == "FAILED":
            channel, dstchannel, lastapp, lastdata = "OutgoingSpoolFailed", "", "Hangup", ""
    end = start + duration
    if plan.originated_call_id is None and plan.type != "incoming" and rng.random() < 0.1:
        plan.originated_call_id = f"orig.call.{int(start)}.{rng.randrange(10**6):06d}"
    comment = f"originated call: {plan.originated_call_id}" if plan.originated_call_id else ""
    doc: dict[str, Any] = {
        "type": plan.type,
        "cuid": cuid,
        "clid": f'"" <{plan.src}>',
        "src": plan.src,
        "dst": plan.dst,
        "dcontext": dcontext,
        "channel": channel,
        "dstchannel": dstchannel,
        "lastapp": lastapp,
        "lastdata": lastdata,
        "start": jalali(start),
        "answer": gregorian(start + plan.wait) if answered else "",
        "duration": duration,
        "billsec": plan.billsec,
        "disposition": plan.disposition,
        "amaflags": "DOCUMENTATION",
        "accountcode": "",
        "uniqueid": cuid,
        "userfield": "",
        "sequence": str(sequence),
        "comment": comment,
        "v": 2,
    }
    if plan.type == "incoming":
        doc["did"] = plan.dst
        doc["entry_point"] = plan.trunk
    elif plan.type == "outgoing":
        doc["outgoing_point"] = plan.trunk
    if plan.originated_call_id:
        doc["originated_call_id"] = plan.originated_call_id
    doc["route"] = _route(ctx, plan, start)
    doc["wait"] = plan.wait
    doc["starttime"] = jalali(start + rng.randrange(0, 3))
    doc["endtime"] = mongo_date(end) if rng.random() < 0.2 else jalali(end)
    if answered and rng.random() < 0.5:
        doc["hangup"] = rng.choice(("caller", "callee"))
    if answered and rng.random() < 0.8:
        doc["record"] = f"{compact(start)[:8]}_{cuid}.mp3"
        # about 16 kbit/s of MP3
        db.files[doc["record"]] = StoredFile.of(doc["record"], 2000 * plan.billsec)
    doc[plan.disposition] = 1
    doc[plan.type] = 1
    doc["billsec_hhmmss"] = hhmmss(plan.billsec)
    doc["wait_hhmmss"] = hhmmss(plan.wait)
    doc["duration_hhmmss"] = hhmmss(duration)
    stored = db.insert("reports.cdr", doc, start)
    if plan.queue and agent is not None:
        _add_queue_rows(ctx, plan, stored, agent, start, poll_chance)
    return stored


def _add_queue_rows(
    ctx: CallContext,
    plan: CallPlan,
    cdr: dict[str, Any],
    agent: str,
    start: float,
    poll_chance: float,
) -> None:
    rng, db = ctx.db.rng, ctx.db
    queue = plan.queue
    assert queue is not None
    answered = plan.disposition == "ANSWERED"
    queue_id = f"{int(start) + 1}.{rng.randrange(100, 5000)}"
    members = ctx.queues[queue] or ctx.extensions
    tried = [m for m in rng.sample(members, min(len(members), rng.randrange(1, 4))) if m != agent]
    tried.append(agent)
    ring = start + 1
    for index, member in enumerate(tried):
        last = index == len(tried) - 1
        picked_up = answered and last
        try_wait = plan.wait if last else rng.randrange(5, 16)
        billsec = plan.billsec if picked_up else 0
        try_end = ring + try_wait + billsec
        disposition = "ANSWERED" if picked_up else "NO ANSWER"
        uniqueid = f"{int(ring)}.{ctx.next_sequence()}"
        detail: dict[str, Any] = {
            "type": "queue_report",
            "cuid": cdr["cuid"],
            "clid": cdr["clid"],
            "src": plan.src,
            "dst": member,
            "dcontext": "simotel-local-agents",
            "channel": f"Local/{member}@simotel-local-agents-{ctx.next_channel()};2",
            "dstchannel": f"SIP/{member}-{ctx.next_channel()}",
            "lastapp": "Dial",
            "lastdata": f"SIP/{member},15,TtKkm",
            "start": jalali(ring),
            "answer": gregorian(ring + try_wait) if picked_up else "",
            "duration": try_wait + billsec,
            "billsec": billsec,
            "disposition": disposition,
            "amaflags": "DOCUMENTATION",
            "accountcode": "",
            "uniqueid": uniqueid,
            "userfield": "",
            "sequence": str(ctx.sequence),
            "comment": "",
            "v": 2,
            "qnum": queue,
            "starttime": jalali(ring),
            "endtime": mongo_date(try_end),
            "queue_id": queue_id,
            disposition: 1,
            "wait": try_wait,
            "tries": 1,
            "last_try": mongo_date(try_end),
            "billsec_hhmmss": hhmmss(billsec),
            "wait_hhmmss": hhmmss(try_wait),
            "duration_hhmmss": hhmmss(try_wait + billsec),
            "dst_name": ctx.names.get(member, member),
        }
        if picked_up and "record" in cdr:
            detail["record"] = cdr["record"]
        db.insert("reports.queue_details", detail, ring)
        if not last:
            ring = try_end
    end = ring + plan.wait + plan.billsec
    answered_at = ring + plan.wait
    status = rng.choice(("COMPLETEAGENT", "COMPLETECALLER")) if answered else "TIMEOUT"
    stat: dict[str, Any] = {
        "duration": plan.wait + plan.billsec,
        "wait": plan.wait,
        "agent_wait": plan.wait,
        "caller_wait": plan.wait,
        "billsec": plan.billsec,
        "queue_id": queue_id,
        "src": plan.src,
        "dst": agent,
        "cuid": cdr["cuid"],
        "qnum": queue,
        "starttime": jalali(start + 1),
        "endtime": mongo_date(end),
        "ringtime": mongo_date(ring),
    }
    if answered:
        stat["answeredtime"] = mongo_date(answered_at)
    stat["queue_status"] = status
    stat["disposition"] = "ANSWERED" if answered else "MISSED"
    stat["hangup"] = "agent" if status == "COMPLETEAGENT" else "caller"
    stat[stat["disposition"]] = 1
    stat["v"] = 2
    if answered:
        stat["data"] = {
            "end_time": mongo_date(end),
            "start_time": mongo_date(start + 1),
            "ring_time": mongo_date(ring),
            "answered_time": mongo_date(answered_at),
        }
    stat["billsec_hhmmss"] = hhmmss(plan.billsec)
    stat["wait_hhmmss"] = hhmmss(plan.wait)
    stat["duration_hhmmss"] = hhmmss(plan.wait + plan.billsec)
    stat["dst_name"] = ctx.names.get(agent, agent)
    db.insert("reports.queue", stat, start + 1)
    if answered and rng.random() < poll_chance:
        poll = {
            "uniqueid": cdr["uniqueid"],
            "src": plan.src,
            "dst": agent,
            "point": rng.randrange(1, 21),
            "label": rng.choice(_LABELS),
            "qnum": queue,
            "date": jalali(end),
        }
        db.insert("reports.poll", poll, end)


def agent_session(ctx: CallContext, start: float) -> dict[str, Any]:
    """A ``reports.agent`` row: an agent logged in to a queue for a while."""
    rng = ctx.db.rng
    queue = rng.choice(list(ctx.queues)) if ctx.queues else "2000"
    agent = rng.choice(ctx.queues.get(queue) or ctx.extensions)
    duration = rng.randrange(30, 4 * 3600)
    return {
        "type": "inout",
        "exten": agent,
        "qnum": queue,
        "start": jalali(start),
        "end": jalali(start + duration),
        "duration": duration,
        "inout": 1,
        "inout_du": duration,
        "duration_hhmmss": hhmmss(duration),
    }
