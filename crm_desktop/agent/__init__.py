"""The long-running agent for the server PC (``crm-admin agent``): reminders, scheduled backups.

Each piece of work is a :class:`~crm_desktop.agent.job.Job`; the agent runs them on their intervals.
"""
