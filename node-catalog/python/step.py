#!/usr/bin/env python3
"""python step (placeholder until written)."""
