"""Pure route planning: geocoding, distance matrices, the OR-Tools model, plan checking.

Nothing in this package imports Flask or the app's models: plain data in, plain data out.
"""
