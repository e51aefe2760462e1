"""A meeting from scheme to frozen result: schemes, rooms, ballot codes,
ballots, the wrong-code throttle, the tally and series of rounds."""
