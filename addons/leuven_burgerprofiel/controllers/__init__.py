from . import login
from . import melding
