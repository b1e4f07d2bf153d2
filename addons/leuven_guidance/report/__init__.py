from . import guidance_partner_report, guidance_trajectory_report
