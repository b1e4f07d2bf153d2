from . import test_identifiers
from . import test_login
from . import test_dosis
from . import test_melding
from . import test_authentic_lookup
from . import test_leak_privacy_export
from . import test_leak_identity
from . import test_burgerprofiel_channel
