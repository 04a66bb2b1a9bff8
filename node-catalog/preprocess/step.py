#!/usr/bin/env python3
"""preprocess step (placeholder until written)."""
