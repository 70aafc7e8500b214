"""The typed endpoint methods, one module per API group: ``simotel.<group>.<resource>``.

Generated from simotel_async/_endpoints.py by scripts/gen_resources.py; do not edit."""

from .autodialer import Autodialer
from .call import Call
from .pbx import Pbx
from .reports import Reports
from .setting import Setting
from .voicemails import Voicemails

__all__ = ["Autodialer", "Call", "Pbx", "Reports", "Setting", "Voicemails"]
