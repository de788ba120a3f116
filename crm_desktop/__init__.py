"""CRM desktop: a Chinese-office CRM whose only server is PostgreSQL."""

__version__ = "0.1.0"
