"""A Dialpad API v2 simulator: the console's demo backend and its test double.

    from dialpad_sim.server import SimulatorServer

    sim = SimulatorServer(org="demo", seed=1).start()
    requests.get(f"{sim.base_url}/api/v2/users", headers={"Authorization": f"Bearer {sim.api_key}"})
    sim.stop()

Standard library plus ``phonenumbers`` only. See ``python -m dialpad_sim --help``.
"""

from .generate import ORGS, SIZES, generate
from .state import OrgState, SimError

__all__ = ["ORGS", "SIZES", "OrgState", "SimError", "generate"]
