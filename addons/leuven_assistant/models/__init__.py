from . import assistant_topic
from . import assistant_topic_api
from . import assistant_session
from . import res_partner
from . import res_config_settings
