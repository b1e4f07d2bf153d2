from . import kcc_case_transfer_wizard
