"""The evaluator terminal (DESIGN §6, §9, §11): a locked ballot flow.

Code prompt → rating grid (one row per rated person, one cell per
indicator) → review of exactly what will be sent → submit off the UI thread
→ "已提交" only after the commit returns → the prompt again. The app inherits
no bindings and has no command palette, footer or screen switching; the only
way out is a hidden organizer unlock with an account password. Phones and
browsers vote through pingyi.web instead, with the same draft rules."""
