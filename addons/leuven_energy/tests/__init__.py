from . import test_energy_epc, test_energy_proposals, test_energy_stages
from . import test_energy_kpi
from . import test_energy_financial
from . import test_energy_proactive_notice
from . import test_energy_partner_access
