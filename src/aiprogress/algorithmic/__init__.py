"""aiprogress.algorithmic: algorithmic progress and the returns to software r.

Modules: ``returns`` (r = dlog S / dlog cumulative R: :func:`estimate_r`,
:func:`estimate_r_csv`), ``series`` (ImageNet software efficiency and Epoch
research-input series), ``vision_r`` (the real-data r run and its comparison
with the published estimates), ``published`` (published estimates as data).

Projections (``aiprogress.takeoff``) consume these results; nothing here imports
takeoff.
"""
