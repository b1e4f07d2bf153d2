from . import energy_epc_manual_wizard
