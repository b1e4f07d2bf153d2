"""Energy coaching: the energy performance certificate (EPC) connector."""
