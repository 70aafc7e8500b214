"""Seeded, realistic PBX content: extensions, trunks, queues, call reports, autodialer.

Everything comes from one ``random.Random(seed)`` and the fake's clock, so the same
seed gives the same records, ids and files. Shapes follow the documented samples.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ._calendar import compact, hhmmss, jalali, mongo_date
from ._calls import CallContext, CallPlan, add_call, agent_session, plan_call
from ._files import StoredFile
from ._store import Database

__all__ = ["COLLECTIONS", "DEFAULTS", "DERIVED", "Seeder", "upload_name"]

#: Collections and how many records a default fake gets.
COLLECTIONS: Mapping[str, int] = {
    "pbx.trunks": 3,
    "pbx.users": 20,
    "pbx.queues": 4,
    "pbx.musiconholds": 2,
    "pbx.announcements": 3,
    "pbx.blacklists": 3,
    "pbx.whitelists": 3,
    "pbx.faxes": 12,
    "voicemails.voicemails": 3,
    "voicemails.inbox": 30,
    "reports.cdr": 500,
    "reports.queue": 0,
    "reports.queue_details": 0,
    "reports.poll": 0,
    "reports.agent": 60,
    "autodialer.trunks": 2,
    "autodialer.announcements": 2,
    "autodialer.contacts": 40,
    "autodialer.groups": 4,
    "autodialer.campaigns": 4,
    "autodialer.reports": 120,
}

#: Queue and poll rows come from queue calls in the CDR, not from a count of their own.
DERIVED = frozenset({"reports.queue", "reports.queue_details", "reports.poll"})

_SIP = {"deny": "0.0.0.0/0.0.0.0", "permit": "0.0.0.0/0.0.0.0", "dtmfmode": "rfc2833"}

#: What the server fills in for fields an ``add`` call leaves out.
DEFAULTS: Mapping[str, Mapping[str, Any]] = {
    "pbx.users": {
        "user_type": "SIP",
        "active": "yes",
        "call_record": "no",
        "push_notification": "no",
        "name": "",
        "number": "",
        "cid_number": "",
        "secret": "",
        **_SIP,
        "context": "main_routing",
        "host": "dynamic",
        "type": "friend",
        "port": "5060",
        "qualify": "yes",
        "email": "",
        "forward_policy": {"Busy": "", "No Answer": "", "UnAvailable": "", "All": ""},
        "more_options": "",
        "canreinvite": "no",
        "directmedia": "no",
        "nat": "force_rport,comedia",
        "callgroup": "1",
        "pickupgroup": "1",
        "callcounter": "yes",
        "faxdetect": "no",
        "call_limit": "",
        "description": "",
    },
    "pbx.trunks": {
        "trunk_type": "SIP",
        "name": "",
        "register_string": "",
        "active": "yes",
        **_SIP,
        "canreinvite": "no",
        "directmedia": "no",
        "context": "from-pstn",
        "host": "",
        "type": "friend",
        "nat": "force_rport,comedia",
        "port": "5060",
        "qualify": "yes",
        "insecure": "port,invite",
        "disallow": "all",
        "allow": "ulaw,alaw",
        "more_options": "",
        "description": "",
    },
    "pbx.queues": {
        "name": "",
        "number": "",
        "strategy": "ringall",
        "ringinuse": "no",
        "call_record": "yes",
        "setinterfacevar": "yes",
        "autofill": "yes",
        "setqueuevar": "yes",
        "setqueueentryvar": "yes",
        "persistentmembers": "no",
        "shared_lastcall": "no",
        "announce_holdtime": "no",
        "announce_position": "yes",
        "joinempty": "strict",
        "leavewhenempty": "yes",
        "reportholdtime": "no",
        "maxlen": "0",
        "announce_frequency": "120",
        "min_announce_frequency": "60",
        "periodic_announce_frequency": "120",
        "music": "default",
        "queue_callswaiting": "queue-callswaiting",
        "queue_thankyou": "queue-thankyou",
        "queue_thereare": "queue-thereare",
        "queue_youarenext": "queue-youarenext",
        "retry": "5",
        "servicelevel": "60",
        "timeout": "30",
        "weight": "10",
        "wrapuptime": "1",
        "monitor_type": "MixMonitor",
        "monitor_format": "wav",
        "more_options": "",
    },
    "voicemails.voicemails": {
        "name": "",
        "number": "",
        "password": "",
        "email": "",
        "required_password": "no",
        "allow_change_password": "no",
        "send_email": "no",
        "attach_file_email": "no",
        "play_busy": "no",
        "play_unavailable": "no",
        "play_welcome": "no",
        "Play_CID": "no",
        "Play_Envelope": "no",
        "Delete_Voicemail": "no",
        "more_options": "",
    },
}

_NAMES = (
    "Ali Rezaei", "Sara Mohammadi", "Reza Ahmadi", "Maryam Hosseini", "Hamid Karimi",
    "Narges Moradi", "Mehdi Jafari", "Zahra Kazemi", "Amir Hashemi", "Fatemeh Rahimi",
    "Hossein Sadeghi", "Leila Ebrahimi", "Saeed Ghasemi", "Neda Akbari", "Behnam Salehi",
    "Parisa Yousefi", "Kaveh Nouri", "Shirin Bagheri", "Omid Azizi", "Mina Shams",
)  # fmt: skip
_QUEUES = ("Sales", "Support", "Billing", "Complaints", "VIP", "Technical", "Orders")
_TRUNKS = ("t1541", "center", "Cisco", "mokhaberat", "irancell", "shatel")
_DIDS = ("1541", "3100", "2200", "5500")
#: The first queue's number; later queues count up from it.
FIRST_QUEUE = 2000
#: An extension no seeded queue has as a member, so adding it as an agent succeeds.
FREE_AGENT = "101"
_FAX_STATUS = ("SENT", "SENDING", "FAILED", "RECEIVED")


def upload_name(moment: float, rng_value: int, original: str, *, suffix: str) -> str:
    """A server-side file name like ``file-20230719143541-90036-announcemp3_.wav``."""
    squashed = "".join(c for c in original.lower() if c.isascii() and c.isalnum())[:16]
    return f"file-{compact(moment)}-{rng_value:05d}-{squashed or 'file'}{suffix}"


class Seeder:
    """Fills a :class:`Database` and makes more of the same on demand."""

    def __init__(self, db: Database, counts: Mapping[str, int], days: int) -> None:
        self.db = db
        self.counts = counts
        self.days = days
        self.calls = CallContext(db, [], {}, [], {}, list(_DIDS))
        self._factories: dict[str, Callable[[float], dict[str, Any]]] = {
            "pbx.trunks": self._trunk,
            "pbx.users": self._user,
            "pbx.queues": self._queue,
            "pbx.musiconholds": self._music_on_hold,
            "pbx.announcements": self._announcement,
            "pbx.blacklists": self._blacklist,
            "pbx.whitelists": self._whitelist,
            "pbx.faxes": self._fax,
            "voicemails.voicemails": self._mailbox,
            "voicemails.inbox": self._voicemail,
            "reports.agent": lambda when: agent_session(self.calls, when),
            "autodialer.trunks": self._trunk_manager,
            "autodialer.announcements": self._dialer_announcement,
            "autodialer.contacts": self._contact,
            "autodialer.groups": self._group,
            "autodialer.campaigns": self._campaign,
            "autodialer.reports": self._dialer_report,
        }

    # -- orchestration ---------------------------------------------------------------

    def _times(self, count: int, *, days: int, until: float) -> list[float]:
        """``count`` random moments spread evenly over the ``days`` before ``until``.

        Each falls at random in its own ``1/count`` slice of the span, so every day
        gets its share of calls (``cdr // days`` at least) whatever the seed.
        """
        span = days * 86400
        start = until - span
        return [start + (i + self.db.rng.random()) * span / count for i in range(count)]

    def populate(self) -> None:
        """Create every collection's seed records, configuration before history."""
        history_start = self.db.now - self.days * 86400
        for name in COLLECTIONS:
            self.db[name]
        for name in self._factories:
            if name in ("reports.agent", "autodialer.reports"):
                continue
            count = self.counts[name]
            for when in self._times(count, days=3 * 365, until=history_start):
                self.add(name, when)
        for when in self._times(self.counts["reports.cdr"], days=self.days, until=self.db.now):
            add_call(self.calls, plan_call(self.calls), when)
        for name in ("reports.agent", "autodialer.reports"):
            for when in self._times(self.counts[name], days=self.days, until=self.db.now):
                self.add(name, when)

    def add(self, collection: str, when: float) -> dict[str, Any]:
        """Create and store one realistic record of ``collection``; return it."""
        if collection in DERIVED and not self.calls.queues:
            raise ValueError(f"{collection} rows come from queue calls; the fake has no queue")
        if collection == "reports.cdr" or collection in DERIVED:
            plan = plan_call(self.calls)
            if collection in DERIVED:
                plan.type, plan.queue = "incoming", next(iter(self.calls.queues))
                plan.disposition, plan.billsec = "ANSWERED", max(plan.billsec, 10)
                plan.src, plan.dst = self.calls.external_number(), self.calls.dids[0]
            add_call(self.calls, plan, when, poll_chance=1.0 if collection in DERIVED else 0.3)
            last = self.db[collection].last()
            assert last is not None
            return last
        return self.db.insert(collection, self._factories[collection](when), when)

    def originated_call(self, when: float, body: Mapping[str, Any], call_id: str) -> None:
        """The CDR row an originated call leaves behind."""
        caller, callee = str(body.get("caller", "")), str(body.get("callee", ""))
        internal = callee in self.calls.names or len(callee) <= 5
        plan = CallPlan(
            "local" if internal else "outgoing",
            caller,
            callee,
            "ANSWERED",
            self.db.rng.randrange(2, 12),
            self.db.rng.randrange(5, 120),
            str(body.get("trunk_name") or (self.calls.trunks or ["trunk"])[0]),
            originated_call_id=call_id,
        )
        add_call(self.calls, plan, when)

    def _file(self, name: str, size: int) -> str:
        self.db.files[name] = StoredFile.of(name, size)
        return name

    # -- PBX configuration -----------------------------------------------------------

    def _trunk(self, when: float) -> dict[str, Any]:
        index = len(self.db["pbx.trunks"])
        name = _TRUNKS[index] if index < len(_TRUNKS) else f"trunk{index}"
        self.calls.trunks.append(name)
        host = f"192.168.{self.db.rng.randrange(1, 10)}.{self.db.rng.randrange(2, 250)}"
        account = f"{self.db.rng.randrange(10**9, 10**10)}"
        return {
            **DEFAULTS["pbx.trunks"],
            "name": name,
            "register_string": f"{account}:secret@{host}/{account}",
            "host": host,
            "more_options": f"fromuser={account}username={account}",
            "date": jalali(when),
        }

    def _user(self, when: float) -> dict[str, Any]:
        index = len(self.db["pbx.users"])
        number = str(100 + index)
        name = _NAMES[index % len(_NAMES)] + ("" if index < len(_NAMES) else f" {index}")
        self.calls.extensions.append(number)
        self.calls.names[number] = name
        return {
            **DEFAULTS["pbx.users"],
            "name": name,
            "number": number,
            "cid_number": number,
            "secret": f"{self.db.rng.randrange(10**5, 10**6)}",
            "email": f"{name.split()[0].lower()}{index}@example.com",
            "date": jalali(when),
            "queues": [],
        }

    def _queue(self, when: float) -> dict[str, Any]:
        index = len(self.db["pbx.queues"])
        number = str(FIRST_QUEUE + index)
        name = _QUEUES[index] if index < len(_QUEUES) else f"Queue {index}"
        extensions = [e for e in self.calls.extensions if e != FREE_AGENT]
        agents = self.db.rng.sample(extensions, min(len(extensions), self.db.rng.randrange(2, 6)))
        self.calls.queues[number] = agents
        self.db.members[number] = {a: {"source": a, "penalty": "", "paused": False} for a in agents}
        users = self.db["pbx.users"]
        for user in [u for u in users if u["number"] in agents]:
            users.replace({**user, "queues": [*user.get("queues", []), number]})
        return {**DEFAULTS["pbx.queues"], "name": name, "number": number, "date": jalali(when)}

    def _music_on_hold(self, when: float) -> dict[str, Any]:
        name = ("default", "wait", "gole orkideh")[len(self.db["pbx.musiconholds"]) % 3]
        musics = []
        for n in range(self.db.rng.randrange(1, 4)):
            size = self.db.rng.randrange(20_000, 900_000)
            moment = when + n * 8
            filename = self._file(
                upload_name(moment, self.db.rng.randrange(10**5), f"{name}{n}mp3", suffix="_.wav"),
                size,
            )
            musics.append(
                {
                    "file": filename,
                    "size": f"{size / 1024:.2f} KB",
                    "date": jalali(moment)[:16],
                    "type": "file",
                }
            )
        path = f"file-{compact(when)}-{self.db.rng.randrange(10**5):05d}-{name.replace(' ', '')}"
        return {
            "name": name,
            "date": jalali(when),
            "path": path,
            "count": len(musics),
            "musics": musics,
        }

    def _announcement(self, when: float) -> dict[str, Any]:
        name = ("welcome", "holiday", "after-hours", "promo")[len(self.db["pbx.announcements"]) % 4]
        filename = upload_name(when, self.db.rng.randrange(10**5), f"{name}mp3", suffix="_.wav")
        self._file(filename, self.db.rng.randrange(20_000, 400_000))
        return {"filename": filename, "name": name, "comment": "", "date": jalali(when)}

    def _blacklist(self, when: float) -> dict[str, Any]:
        return {"number": self.calls.external_number(), "comment": "spam", "date": jalali(when)}

    def _whitelist(self, when: float) -> dict[str, Any]:
        return {
            "number": self.calls.external_number(),
            "labels": [self.db.rng.choice(("vip", "partner", "ext_test"))],
            "comment": "",
            "date": jalali(when),
        }

    def _fax(self, when: float) -> dict[str, Any]:
        rng = self.db.rng
        outgoing = rng.random() < 0.6
        ext = rng.choice(self.calls.extensions or ["100"])
        trunk = rng.choice(self.calls.trunks or ["t1541"])
        remote = self.calls.external_number()
        stem = f"fax{len(self.db['pbx.faxes'])}tif"
        filename = self._file(
            upload_name(when, rng.randrange(10**5), stem, suffix="_.tif"),
            rng.randrange(20_000, 200_000),
        )
        return {
            "type": "outbox" if outgoing else "inbox",
            "src": ext if outgoing else remote,
            "dst": remote if outgoing else ext,
            "status": rng.choice(_FAX_STATUS[:3]) if outgoing else "RECEIVED",
            "file": filename,
            "description": "",
            "date": jalali(when),
            "ext": ext,
            "trunk": trunk,
            "channel": f"SIP/{trunk}/{remote}",
        }

    def _mailbox(self, when: float) -> dict[str, Any]:
        number = str(400 + len(self.db["voicemails.voicemails"]))
        return {
            **DEFAULTS["voicemails.voicemails"],
            "name": f"mailbox {number}",
            "number": number,
            "password": number,
            "date": jalali(when),
        }

    def _voicemail(self, when: float) -> dict[str, Any]:
        rng = self.db.rng
        boxes = list(self.db["voicemails.voicemails"])
        box = rng.choice(boxes) if boxes else {"_id": self.db.ids.new(when), "number": "400"}
        doc: dict[str, Any] = {
            "number": box["number"],
            "caller_id": rng.choice(self.calls.extensions or ["570"]),
        }
        if rng.random() < 0.9:
            duration = rng.randrange(2, 90)
            filename = f"{box['number']}_{int(when)}-vm-record-file-{rng.randrange(10**4)}.wav"
            doc["filename"] = self._file(filename, duration * 16_000)
            doc["voice_mail_id"] = {"$oid": box["_id"]}
            doc["duration"] = duration
        else:
            doc["error"] = "This file has not been saved properly"
            doc["voice_mail_id"] = {"$oid": box["_id"]}
        doc.update({"read": rng.random() < 0.5, "v": 2, "date": jalali(when)})
        return doc

    # -- autodialer ------------------------------------------------------------------

    def _trunk_manager(self, when: float) -> dict[str, Any]:
        index = len(self.db["autodialer.trunks"])
        trunks = list(self.db["pbx.trunks"])
        hours = [str(h) for h in range(9, 18)]
        return {
            "title": "autodialer" if index == 0 else f"autodialer{index}",
            "trunk_id": {
                "$oid": trunks[index % len(trunks)]["_id"] if trunks else self.db.ids.new(when)
            },
            "status": "active",
            "active_times": {day: list(hours) for day in ("1", "2", "3", "4", "6", "7")},
            "capacity": "5",
            "dial_interval": "1",
            "wait_cache_length": "100",
            "date": jalali(when),
            "current_capacity": 0,
            "current_wait_cache_length": 0,
        }

    def _dialer_announcement(self, when: float) -> dict[str, Any]:
        name = f"campaign_sound{len(self.db['autodialer.announcements'])}"
        filename = upload_name(when, self.db.rng.randrange(10**5), f"{name}mp3", suffix="_.wav")
        self._file(filename, self.db.rng.randrange(20_000, 400_000))
        return {
            "name": name,
            "filename": filename,
            "description": "",
            "fileData": "",
            "date": jalali(when),
        }

    def _contact(self, when: float) -> dict[str, Any]:
        index = len(self.db["autodialer.contacts"])
        return {
            "name": f"{_NAMES[index % len(_NAMES)].split()[1].lower()}_{index}",
            "number": self.calls.external_number(),
            "description": "",
            "date": jalali(when),
        }

    def _group(self, when: float) -> dict[str, Any]:
        numbers = [self.calls.external_number() for _ in range(self.db.rng.randrange(3, 40))]
        index = len(self.db["autodialer.groups"])
        return {
            "name": f"group_{index}",
            "description": "",
            "numbers": numbers,
            "count": len(numbers),
            "date": jalali(when),
        }

    def _campaign(self, when: float) -> dict[str, Any]:
        rng = self.db.rng
        managers, sounds = (
            list(self.db["autodialer.trunks"]),
            list(self.db["autodialer.announcements"]),
        )
        groups = list(self.db["autodialer.groups"])
        chosen = rng.sample(groups, min(len(groups), rng.randrange(0, 3)))
        numbers = [self.calls.external_number() for _ in range(rng.randrange(1, 4))]
        start = when + rng.randrange(1, 10) * 86400
        end = start + rng.randrange(1, 30) * 86400
        return campaign_record(
            {
                "name": f"campaign_{len(self.db['autodialer.campaigns'])}",
                "trunk_manager_id": managers[0]["_id"] if managers else self.db.ids.new(when),
                "interface_context": "",
                "interface_text": "",
                "numbers": numbers,
                "groups": [g["_id"] for g in chosen],
                "try_interval": "600",
                "try": str(rng.randrange(1, 4)),
                "announcement": sounds[0]["_id"] if sounds else "",
                "description": "",
                "count": len(numbers) + sum(g["count"] for g in chosen),
            },
            start=start,
            end=end,
            created=when,
            status=rng.choice(("completed", "waiting", "in-process")),
        )

    def _dialer_report(self, when: float) -> dict[str, Any]:
        rng = self.db.rng
        campaigns = list(self.db["autodialer.campaigns"]) or [
            campaign_record(
                {"name": "campaign"}, start=when, end=when, created=when, status="waiting"
            )
        ]
        campaign = rng.choice(campaigns)
        disposition = rng.choices(("ANSWERED", "LOST", "NO ANSWER", "BUSY"), (55, 15, 20, 10))[0]
        billsec = rng.randrange(3, 120) if disposition == "ANSWERED" else 0
        wait = rng.randrange(0, 20)
        tries = [
            {
                "cdr_id": {"$oid": self.db.ids.new(when)},
                "cause": "16" if disposition == "ANSWERED" else None,
                "cause-txt": "Normal Clearing" if disposition == "ANSWERED" else None,
                "starttime": mongo_date(when),
                "disposition": disposition,
                "wait": wait,
            }
        ]
        return {
            "start": campaign["start"],
            "end": campaign["end"],
            "date": jalali(when),
            "campaign_id": {"$oid": campaign.get("_id", self.db.ids.new(when))},
            "campaign": campaign["name"],
            "interface_context": campaign.get("interface_context", ""),
            "interface_text": campaign.get("interface_text", ""),
            "trunk_manager_id": {"$oid": campaign.get("trunk_manager_id", "")},
            "announcement": campaign.get("announcement", ""),
            "number": self.calls.external_number(),
            "disposition": disposition,
            "try": 1,
            "repeat": 1,
            "status": rng.choice(("in-process", "done")),
            "billsec": billsec,
            "wait": wait,
            "input": "",
            "tries": tries,
            disposition: 1,
            "billsec_hhmmss": hhmmss(billsec),
            "wait_hhmmss": hhmmss(wait),
        }


def campaign_record(
    fields: Mapping[str, Any], *, start: float, end: float, created: float, status: str
) -> dict[str, Any]:
    """A stored campaign: Jalali ``start``/``end`` plus ``isoStart``/``isoEnd`` ``$date``s."""
    return {
        **fields,
        "start": jalali(start),
        "end": jalali(end),
        "repeat": 1,
        "date": jalali(created),
        "status": status,
        "isoStart": mongo_date(start),
        "isoEnd": mongo_date(end),
    }
