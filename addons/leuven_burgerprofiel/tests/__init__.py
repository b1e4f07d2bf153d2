from . import test_identifiers
