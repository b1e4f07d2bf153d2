from . import test_catalog_sync
from . import test_catalog_use
from . import test_bad_input_catalog
