from . import api
from . import website
