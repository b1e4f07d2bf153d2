from . import login
