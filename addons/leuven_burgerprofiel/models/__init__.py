from . import res_partner
from . import res_users
from . import res_config_settings
from . import kcc_case
from . import kcc_case_category
from . import burgerprofiel_authentic_source
from . import burgerprofiel_legal_basis
from . import burgerprofiel_lookup_log
