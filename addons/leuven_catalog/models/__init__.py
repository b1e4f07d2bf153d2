from . import catalog_product
from . import kcc_case
