#!/usr/bin/env python3
"""eval step (placeholder until written)."""
