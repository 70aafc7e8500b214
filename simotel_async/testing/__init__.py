"""Testing support: :class:`FakeSimotel`, an in-memory Simotel server.

Use it in your tests instead of a real PBX::

    from simotel_async import AsyncSimotel
    from simotel_async.testing import FakeSimotel

    fake = FakeSimotel(seed=1)
    async with AsyncSimotel(fake.url, username="api", password="secret",
                            transport=fake.transport()) as simotel:
        await simotel.ping()
    assert fake.requests[-1].endpoint_id == "setting.ping"

or serve it over HTTP: ``python -m simotel_async.testing --port 8765``.
"""

from ._faults import Fault, FaultKind, InjectedConnectionError
from ._files import StoredFile
from ._handlers import OriginatedCall, PageServed
from ._server import AuthMode, FakeSimotel, LoggedRequest

__all__ = [
    "AuthMode",
    "FakeSimotel",
    "Fault",
    "FaultKind",
    "InjectedConnectionError",
    "LoggedRequest",
    "OriginatedCall",
    "PageServed",
    "StoredFile",
]


def _publish() -> None:
    """Show the public module in reprs, tracebacks and docs, not the private one."""
    for name in __all__:
        obj = globals()[name]
        if isinstance(obj, type) and obj.__module__.startswith(__name__ + "._"):
            obj.__module__ = __name__


_publish()
