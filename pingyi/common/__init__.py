"""Small shared helpers under every service: errors, the clock, text and table
formatting, TOML checks, and opening the store for front ends."""
