"""The reference pages that show results (the trainer's performance)."""
