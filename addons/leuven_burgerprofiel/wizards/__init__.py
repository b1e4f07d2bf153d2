from . import burgerprofiel_lookup_wizard
