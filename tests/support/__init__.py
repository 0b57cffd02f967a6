"""Helpers every test module shares: the app on a real database, forms with CSRF, households,
staff with TOTP, snapshots of the tables. Every value here is synthetic.

Fixtures live in tests/conftest.py; plain helpers live here so any test module imports them.
"""
