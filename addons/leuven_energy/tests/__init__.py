from . import test_energy_epc, test_energy_proposals, test_energy_stages
