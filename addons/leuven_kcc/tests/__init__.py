from . import test_intake
from . import test_case_states
from . import test_access
from . import test_dutch_ui
