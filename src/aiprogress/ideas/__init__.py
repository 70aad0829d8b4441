"""aiprogress.ideas"""
