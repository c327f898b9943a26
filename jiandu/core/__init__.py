"""Project-wide behaviour that belongs to no domain app: deployment checks and the
length cap on free text (registered when Django starts, see apps.py)."""
