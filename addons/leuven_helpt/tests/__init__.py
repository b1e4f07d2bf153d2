from . import test_helpt_match
from . import test_helpt_match_portal
from . import test_helpt_suggestions, test_helpt_volunteer
