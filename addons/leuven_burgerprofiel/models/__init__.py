from . import res_partner
from . import res_users
from . import res_config_settings
from . import kcc_case
from . import kcc_case_category
