"""Data the benchmarks share: one two-indicator, two-group scheme."""

SCHEME = """name = "基准方案"
kind = "shuangding"
[[indicator]]
key = "perf"
name = "评绩"
max = 50
[[indicator]]
key = "clean"
name = "评廉"
max = 50
[grades]
"好" = 1.0
"较好" = 0.85
"一般" = 0.7
"差" = 0.5
[[group]]
key = "masses"
name = "群众代表"
weight = 0.6
[[group]]
key = "npc"
name = "人大代表"
weight = 0.4
[rules]
trim = 1
"""
