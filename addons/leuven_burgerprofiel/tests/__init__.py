from . import test_identifiers
from . import test_login
