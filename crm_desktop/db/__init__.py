"""Connections per login, error translation and the LISTEN/NOTIFY bridge."""
