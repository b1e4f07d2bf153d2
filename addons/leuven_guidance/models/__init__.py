from . import (
    guidance_dwelling,
    guidance_dwelling_holder,
    guidance_stage,
    guidance_trajectory,
    guidance_trajectory_type,
    ir_attachment,
    kcc_case,
    mail_message,
    res_partner,
)

# extends the models above
from . import guidance_partner_access
from . import guidance_stage_history
