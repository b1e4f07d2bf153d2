from . import mail_thread
from . import res_partner
from . import kcc_handler_group
from . import kcc_case_category
from . import kcc_routing_rule
from . import kcc_case
from . import kcc_case_transfer
from . import res_config_settings
