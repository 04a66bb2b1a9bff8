#!/usr/bin/env python3
"""deploy step (placeholder until written)."""
