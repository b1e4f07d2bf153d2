from . import kcc_case_transfer_wizard
from . import kcc_case_citizen_wizards
from . import kcc_routing_test
from . import kcc_quick_contact
from . import kcc_retention_report
from . import kcc_case_share_wizard
from . import kcc_erasure_report
