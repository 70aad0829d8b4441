"""aiprogress.data"""
