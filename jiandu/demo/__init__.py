"""The demo county and the synthetic-data generator (see README.md)."""
