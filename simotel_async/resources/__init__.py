"""The typed endpoint methods, one module per API group: ``simotel.<group>.<resource>``.

Each resource method checks its keyword arguments, builds the documented body and
sends it through the client's endpoint table; see ``docs/endpoints.md`` for the
method of every endpoint id.
"""

from .autodialer import Autodialer
from .call import Call
from .pbx import Pbx
from .reports import Reports
from .setting import Setting
from .voicemails import Voicemails

__all__ = ["Autodialer", "Call", "Pbx", "Reports", "Setting", "Voicemails"]
