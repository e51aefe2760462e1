"""Who acts and who is evaluated: accounts (roles, passwords) and the roster."""
