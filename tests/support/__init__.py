"""Helpers for tests that drive real parts: a live server process, a real browser."""
