"""UKey screens: the PIN prompt of the login dialog, binding a key to an account, and the lock
that covers the main window while the key of a UKey session is out of the reader."""
