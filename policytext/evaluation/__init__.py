"""Evaluation commands: python -m policytext.evaluation.<stage>."""
