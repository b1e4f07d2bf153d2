from . import guidance_start_wizard
