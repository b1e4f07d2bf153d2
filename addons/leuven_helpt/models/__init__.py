from . import helpt_config, helpt_volunteer, kcc_case, helpt_match
