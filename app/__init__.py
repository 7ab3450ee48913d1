"""Zeven stops: an interactive metro-map guide to inter-municipal cooperation."""
