"""Placeholder while the books' screens are built."""
