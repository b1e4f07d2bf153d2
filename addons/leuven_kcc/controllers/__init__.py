from . import website_form
from . import portal
from . import api
from . import privacy
from . import geo
