from . import helpt_suggestion_wizard
