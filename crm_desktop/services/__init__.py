"""Use cases per domain. Nothing here imports Qt: crm-admin, scripts and tests use them alone."""
