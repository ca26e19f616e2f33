"""The quantities the built-in theorems bound (registered in :mod:`boundcheck.manifest`).

=========================  ==========================================  ========================
quantity id                bounded quantity                            metric at T, form
=========================  ==========================================  ========================
``avg_iterate_gap``        E f(w_bar_T) - f*                           ``avg_iterate_gap``, E Y
``mean_gap``               (1/T) sum_{t<T} E f(w_t) - f*               ``mean_gap``, E Y
``mean_grad_l2_sq``        (1/T) sum_{t<T} E ||grad f(w_t)||_2^2       ``mean_grad_l2_sq``, E Y
``sq_mean_rms_grad_l1``    (E sqrt((1/T) sum_t ||grad f(w_t)||_1^2))^2 sqrt(``mean_grad_l1_sq``), (E Y)^2
``sq_mean_mean_grad_l2``   (E (1/T) sum_t ||grad f(w_t)||_2)^2         ``mean_grad_l2``, (E Y)^2
``mean_grad_l1``           (1/T) sum_{t<T} E ||grad f(w_t)||_1         ``mean_grad_l1``, E Y
``min_grad_l1``            E min_{t<T} ||grad f(w_t)||_1               ``min_grad_l1``, E Y
``sq_mean_rms_grad_blk``   (E sqrt((1/T) sum_t ||grad f(w_t)||_{B,1}^2))^2 sqrt(``mean_grad_blk_sq``), (E Y)^2
``last_iterate_gap``       E f(w_T) - f* (the paper's Table 3; no theorem)  ``last_iterate_gap``, E Y
=========================  ==========================================  ========================
"""

from __future__ import annotations

from boundcheck.theory.quantity import Quantity

QUANTITIES: tuple[Quantity, ...] = (
    Quantity("avg_iterate_gap", "E f(w_bar_T) - f*", r"\mathbb E f(\bar w_T) - f_*", "avg_iterate_gap"),
    Quantity("mean_gap", "(1/T) sum_{t<T} E f(w_t) - f*",
             r"\frac1T\sum_{t=0}^{T-1}\mathbb E f(w_t) - f_*", "mean_gap"),
    Quantity("mean_grad_l2_sq", "(1/T) sum_{t<T} E ||grad f(w_t)||_2^2",
             r"\frac1T\sum_{t=0}^{T-1}\mathbb E\|\nabla f(w_t)\|_2^2", "mean_grad_l2_sq"),
    Quantity("sq_mean_rms_grad_l1", "(E sqrt((1/T) sum_{t<T} ||grad f(w_t)||_1^2))^2",
             r"\Big(\mathbb{E}\sqrt{\tfrac{1}{T}\textstyle\sum_{t=0}^{T-1}\|\nabla f(w_t)\|_1^2}\Big)^2",
             "mean_grad_l1_sq", form="squared-mean", transform="sqrt"),
    Quantity("sq_mean_mean_grad_l2", "(E (1/T) sum_{t<T} ||grad f(w_t)||_2)^2",
             r"\Big(\mathbb E\,\frac1T\sum_{t=0}^{T-1}\|\nabla f(w_t)\|_2\Big)^2", "mean_grad_l2",
             form="squared-mean"),
    Quantity("mean_grad_l1", "(1/T) sum_{t<T} E ||grad f(w_t)||_1",
             r"\frac1T\sum_{t=0}^{T-1}\mathbb E\|\nabla f(w_t)\|_1", "mean_grad_l1"),
    Quantity("min_grad_l1", "E min_{t<T} ||grad f(w_t)||_1",
             r"\mathbb E\min_{t<T}\|\nabla f(w_t)\|_1", "min_grad_l1"),
    # Subset-Norm (thmSN.nonconvex): the group norm ||x||_{B,1} = sum_B ||x_B||_2 of the run's partition
    Quantity("sq_mean_rms_grad_blk",
             "(E sqrt((1/T) sum_{t<T} ||grad f(w_t)||_{B,1}^2))^2, ||x||_{B,1} = sum_B ||x_B||_2",
             r"\Big(\mathbb{E}\sqrt{\tfrac{1}{T}\textstyle\sum_{t=0}^{T-1}\|\nabla f(w_t)\|_{B,1}^2}\Big)^2",
             "mean_grad_blk_sq", form="squared-mean", transform="sqrt"),
    # Not a theorem's quantity: the final training-loss gap of the paper's Table 3.
    Quantity("last_iterate_gap", "E f(w_T) - f*", r"\mathbb E f(w_T) - f_*", "last_iterate_gap"),
)

__all__ = ["QUANTITIES"]
