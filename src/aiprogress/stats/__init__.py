"""aiprogress.stats"""
