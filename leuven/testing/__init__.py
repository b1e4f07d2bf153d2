"""Stand-ins for the outside world, for tests, the demo and the benchmarks.

Production code never imports this package: a local fake IPDC feed
(``fake_ipdc``) and a real OpenID provider on loopback (``oidc_provider``).
"""
