#!/usr/bin/env python3
"""sft step (placeholder until written)."""
