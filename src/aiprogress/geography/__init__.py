"""aiprogress.geography: is deep learning a general purpose technology, where is it made, what drives its clusters.

After Klinger, Mateos-Garcia and Stathoulopoulos. Modules:

- :mod:`~aiprogress.geography.corpus`: arXiv (daily, OAI/Kaggle), OpenAlex and Epoch loaders -> one tidy schema;
- :mod:`~aiprogress.geography.geocode`: institution -> country matching (ROR, world universities), admin-1 regions
  from coordinates, arXiv authors -> countries through Epoch author lists, precision checks;
- :mod:`~aiprogress.geography.classify`: the CorEx DL classifier (fit once, cached) and a keyword baseline;
- :mod:`~aiprogress.geography.gpt`: growth, generality and impact tests; research relatedness;
- :mod:`~aiprogress.geography.metrics`: RCA, top-k share, HHI, RCA dispersion, bootstrap over papers;
- :mod:`~aiprogress.geography.scale`: the same aggregation in DuckDB over Parquet;
- :mod:`~aiprogress.geography.regression` / :mod:`~aiprogress.geography.panel`: the paper's Eq. 6;
- :mod:`~aiprogress.geography.replicate`: published vs ours; ``scorecard(ctx)``;
- :mod:`~aiprogress.geography.pipeline`: load -> locate -> classify for one corpus, with caching.
"""
