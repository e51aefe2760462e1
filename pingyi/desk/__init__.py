"""The commission's desk: policy, the 12-point ledger, warnings (alerts),
the integrity index, talks, and the targets they address."""
