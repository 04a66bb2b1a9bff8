#!/usr/bin/env python3
"""dataset step (placeholder until written)."""
