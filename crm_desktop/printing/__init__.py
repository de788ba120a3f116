"""Printing documents (quotes, sales orders, contracts, later bills and receipts) to PDF.

A module that prints builds a :class:`~crm_desktop.printing.document.PrintDocument` from its own
rows; this package turns it into a PDF and knows nothing of the module's tables.
"""
