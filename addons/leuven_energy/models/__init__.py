from . import guidance_stage, guidance_dwelling, guidance_trajectory
from . import guidance_dwelling_heating, energy_proposal_notice
from . import energy_financial
