"""SQLAlchemy mapped classes, one module per domain; the tables themselves live in server_schema/."""
