"""SQL scripts run by infra.audit at startup and by operators with psql."""
