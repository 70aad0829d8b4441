"""aiprogress.scaling"""
