"""Reporting: tidy long tables of verification rows as terminal tables, JSON, CSV and plots."""
