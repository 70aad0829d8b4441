"""The statsmodels estimators the package uses, imported from their own modules.

``import statsmodels.api`` loads the whole library (formula API, graphics, time
series, ...): about 0.3 s more than these four at every start of a process that
fits a regression. Modules write ``from aiprogress.stats import smapi as sm`` and
keep calling ``sm.OLS`` and so on.
"""

from statsmodels.regression.linear_model import OLS, WLS
from statsmodels.regression.quantile_regression import QuantReg
from statsmodels.tools.tools import add_constant

__all__ = ["OLS", "WLS", "QuantReg", "add_constant"]
