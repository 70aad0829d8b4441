"""aiprogress.growth"""
