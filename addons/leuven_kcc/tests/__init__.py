from . import test_intake
from . import test_case_states
from . import test_access
from . import test_dutch_ui
from . import test_escalation
from . import test_mail_gateway
from . import test_tour
from . import test_access_matrix
