from . import guidance_stage, guidance_dwelling, guidance_trajectory
