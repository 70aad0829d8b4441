"""aiprogress.takeoff"""
