"""What vouches for the rest: the hash-chained audit log, its words, backups."""
