from . import catalog_theme
from . import catalog_target_group
from . import catalog_product
from . import catalog_sync_log
from . import kcc_case
from . import kcc_web_submission
from . import res_config_settings
