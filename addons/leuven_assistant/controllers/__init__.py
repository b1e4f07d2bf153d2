from . import api
from . import website
from . import main
