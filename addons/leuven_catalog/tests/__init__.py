from . import test_catalog_product
