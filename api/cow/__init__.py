"""Correlates of War IGO data: who belonged to which organisation, year by year, 1816-2014."""
