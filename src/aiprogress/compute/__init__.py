"""aiprogress.compute: how much compute did a training run use?

Two methods (Sevilla et al. 2022; Besiroglu et al. App. E; Thompson et al. §7):

- operation counting: ``train_flop = 3 x forward_flop x examples x epochs``
  (:func:`estimate_from_operations`);
- hardware time: ``train_flop = chips x peak_flop_per_s x seconds x utilization``
  (:func:`estimate_from_hardware`), with the peak looked up in the ``hardware``
  table (:class:`HardwareIndex`, :func:`match_hardware`, :func:`choose_precision`);

combined by the geometric mean when both apply (:func:`combine_estimates`).
Whole tables: :func:`estimate_models`, :func:`estimate_benchmark_results`,
:func:`compute_estimates_table` (derived catalog table) and
:func:`validate_models` (hardware-time method vs Epoch's reported compute).
"""

from aiprogress._lazy import lazy_exports

__all__ = lazy_exports(__name__, {
    "aiprogress.compute.estimate": (
        "DEFAULT_UTILIZATION",
        "FLOP_PER_MULTIPLY_ADD",
        "FORWARD_BACKWARD_FACTOR",
        "ComputeEstimate",
        "combine_estimates",
        "estimate",
        "estimate_from_hardware",
        "estimate_from_operations",
        "hardware_train_flop",
        "operations_train_flop",
        "resolve_peak",
    ),
    "aiprogress.compute.hardware": (
        "MATCH_THRESHOLD",
        "MIXED_PRECISION_FROM",
        "HardwareIndex",
        "HardwareMatch",
        "PeakChoice",
        "base_hardware_name",
        "choose_precision",
        "match_hardware",
        "normalize_hardware_name",
        "normalize_precision",
        "split_hardware_names",
    ),
    "aiprogress.compute.tables": (
        "compute_estimates_table",
        "estimate_benchmark_results",
        "estimate_models",
    ),
    "aiprogress.compute.validation": (
        "ValidationResult",
        "validate_models",
        "validation_figure",
    ),
})
