"""The desktop user interface: main window, docks and one sub-package per domain."""
