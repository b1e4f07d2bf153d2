from . import kcc_case_transfer_wizard
from . import kcc_routing_test
from . import kcc_quick_contact
from . import kcc_kpi_dashboard
