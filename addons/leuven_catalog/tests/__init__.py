from . import test_catalog_sync
from . import test_catalog_use
