"""Claims about ``loss_study_summary``."""
