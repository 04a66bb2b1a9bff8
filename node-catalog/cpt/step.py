#!/usr/bin/env python3
"""cpt step (placeholder until written)."""
