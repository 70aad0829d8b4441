"""aiprogress.compute"""
