"""Pytest configuration: nothing is fetched at run time; the tests read only this folder."""
