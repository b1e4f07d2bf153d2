from . import kcc_case_report
