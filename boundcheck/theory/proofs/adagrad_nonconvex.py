r"""AdaGrad in the nonconvex setting: Theorems 4.3 and 5.3 of Liu, Pan, Zhang (ICLR 2025).

Both theorems are about Algorithm 1, Option II (no projection) with a constant step size
``eta``::

    v_{-1} = eps^2 1,   v_t = v_{t-1} + g_t*g_t,   lambda_t = sqrt(v_t),
    w_{t+1} = w_t - eta g_t / lambda_t                          (coordinate-wise)

Theorem 5.3 (Assumptions 3.2, 3.4, 3.5, 5.1; ``eta = min{1/(4||L1||_inf), sqrt(Delta/||L0||_1)}``)::

    (E sqrt((1/T) sum_{t<T} ||grad f(w_t)||_1^2))^2
        = ~O( sqrt(Delta ||L0||_1) ||sigma||_1/sqrt(MT) + ||sigma||_1^2/(M sqrt T) + Delta ||L0||_1/T
              + ||L1||_inf Delta ||sigma||_1/sqrt(MT) + ||L1||_inf^2 Delta^2/T )

Theorem 4.3 (Assumptions 3.2-3.5) is the case ``L1 = 0``, ``L0 = L`` (Appendix F: "by setting
L1 = 0, the proof below can be directly applied to prove Theorem 4.3"), with
``eta = sqrt(Delta/||L||_1)``. Both are derived below *once*, as a function of the step size,
from our reconstruction of Appendix F; every step is a :class:`Step` checked by SymPy or by a
named test in ``tests/test_theorems_nonconvex.py``.

The derivation (notation: ``s_j = sigma_j/sqrt(M)`` is the *minibatch* noise level, Lemma C.2:
``E_t n_{t,j}^2 <= s_j^2``; the paper's proof writes ``sigma_j`` for it; ``a_{t,j} =
g_{t,j}^2/lambda_{t,j}^2``; ``kappa = eta ||L1||_inf <= 1/4``; ``lambda~_{t,j}^2 = lambda_{t-1,j}^2 +
E_t g_{t,j}^2`` is the auxiliary sequence (20); ``G_t = sum_j (d_j f(w_t))^2/lambda~_{t,j}``)

1. Closeness and descent. ``|w_{t+1,j} - w_{t,j}| = eta |g_{t,j}|/lambda_{t,j} <= eta <= 1/||L1||_inf``,
   so Lemma C.3 applies between ``w_t`` and ``w_{t+1}``.
2. Lemma F.1 (our constant): ``E_t <grad f, (Lambda~^{-1} - Lambda^{-1}) g_t> <= G_t/2 + sum_j s_j E_t a_{t,j}``
   (Young with ``c = 2 s_j`` and ``E_t(|g| - sqrt(E_t g^2))^2 <= 2 s_j sqrt(E_t g^2)``).
3. Lemma F.2: ``sum_j L1_j |d_j f| E_t a_{t,j} <= 2 ||L1||_inf G_t + sum_j L1_j s_j E_t a_{t,j}``.
4. One step: ``E_t f(w_{t+1}) <= f(w_t) - eta (1/2 - kappa) G_t + sum_j [eta (1 + kappa/2) s_j +
   eta^2 L0_j / 2] E_t a_{t,j}``.
5. Lemma F.3: ``E sum_t a_{t,j} <= 2 ln(E tr(Lambda_{T-1})/eps)``.
6. (27): ``sum_t E G_t <= U := [Delta + (2 eta (1 + kappa/2) ||s||_1 + eta^2 ||L0||_1) ln x_bar] /
   (eta (1/2 - kappa))`` with ``x_bar`` the bound on ``x = E tr(Lambda_{T-1})/eps`` of step 7.
7. Lemma F.4: pathwise ``tr Lambda_{T-1} - d eps <= sum_t <g, Lambda^{-1} g>`` and the descent lemma
   without the auxiliary sequence give ``x <= C0 + C1 ln x`` (after ``sqrt(2 y) <= 1/2 + y``) with
   ``C0 = d + (Delta/eta + (1 + kappa/2) ||s||_1 sqrt(T)/2) / ((1 - kappa/2) eps)``,
   ``C1 = (eta ||L0||_1 + (1 + kappa/2) ||s||_1 sqrt(T)) / ((1 - kappa/2) eps)``; Lemma G.4 gives
   ``x <= x_bar := 2 C0 + 5 C1 ln(C1 + e)``.
8. (28)-(29): ``lambda~_{t,j} <= sqrt(Q_j)``, ``Q_j = lambda_{T-1,j}^2 + sum_s (d_j f(w_s))^2 + s_j^2``;
   Cauchy-Schwarz in expectation and over j: ``(sum_j E sqrt(sum_t (d_j f(w_t))^2))^2 <= U V``,
   ``V = sqrt(3) eps x_bar + sqrt(2T + 1) ||s||_1`` (from ``sqrt(Q_j) <= sqrt(3) lambda_{T-1,j} +
   sqrt(2 sum_s n_{s,j}^2 + s_j^2)``).
9. Lemma G.5 ``sqrt(sum_t ||a_t||_1^2) <= sum_j sqrt(sum_t a_{t,j}^2)`` and dividing by ``T``:
   ``(E sqrt((1/T) sum_{t<T} ||grad f(w_t)||_1^2))^2 <= U V / T``, the explicit bound.

**Quantity bounded** (``quantity_id = "sq_mean_rms_grad_l1"``): step 9 bounds the *expectation of a
square root* and squares it; this is what the proof gives. Of the three readings in THEORY.md it
is the weakest: ``(E (1/T) sum_t ||grad f(w_t)||_1)^2`` is implied (Jensen: the mean is at most
the root mean square), but ``(1/T) sum_t E ||grad f(w_t)||_1^2`` is **not** implied (Cauchy-
Schwarz in expectation loses the second moment).

**Where this differs from the printed text** (ours is derived and checked; the paper's symbols are
garbled, so its constants are read as best we can):

- Noise: the proof's ``sigma_j`` is the minibatch level ``sigma_j/sqrt(M)`` (Lemma C.2); we write
  ``s = sigma/sqrt(M)`` throughout, which is where ``sqrt(M)`` enters.
- F.1: the paper's constant in front of ``sum_j sigma_j E_t a`` is lost in extraction; we get 1.
- F.2 calls ``h(x) = x/(a^2 + x)`` convex; it is concave, which is the direction Jensen needs.
- (27): the paper prints ``(4/eta) Delta + (12 ||sigma||_1 + 2 eta ||L0||_1) ln[(tr Lambda)^2/eps^2]``-like,
  i.e. ``24 ||sigma||_1 + 4 eta ||L0||_1`` in front of ``ln x``. We keep ``kappa = eta ||L1||_inf``
  symbolic: at ``kappa = 1/4`` ours is ``4 Delta/eta + (9 ||s||_1 + 4 eta ||L0||_1) ln x_bar``, and at
  ``L1 = 0`` (Theorem 4.3) ``2 Delta/eta + (4 ||s||_1 + 2 eta ||L0||_1) ln x_bar``.
- F.4: the paper turns the ``sqrt(ln x)`` noise term into a ``ln`` term without saying how; we use
  ``sqrt(2 y) <= 1/2 + y``, which moves ``(1 + kappa/2) ||s||_1 sqrt(T)/2`` into ``C0``.
- G.4 is printed "Assume C1 C0 0". Read as ``C1 >= C0 >= 0`` it would be violated by its use in F.4
  (at ``sigma = 0`` in Theorem 4.3, ``C0 - C1 = d > 0`` exactly); the proof of G.4 only needs
  ``C0, C1 >= 0``, and that is the hypothesis we use (property-tested with ``C0 > C1``).
- (29): the paper bounds ``sqrt(Q_j) <= 3 lambda_{T-1,j} + ... sqrt(T+1) sigma_j``; we get
  ``sqrt(3) lambda_{T-1,j} + sqrt(2 sum_s n_{s,j}^2 + s_j^2)``, whose expectation is at most
  ``sqrt(3) E lambda_{T-1,j} + sqrt(2T + 1) s_j``.
- Final: the paper prints ``30 B(eta) + 6 d eps + 76 sqrt(T+1) V (4 B(eta) + 12 V)`` (garbled); ours
  is ``U V / T``, split into the named terms ``bias`` (no ``sigma``), ``variance_cross`` (first
  order in ``sigma/sqrt(M)``) and ``variance`` (second order).
- The O-forms hide ``eps``: the explicit bound grows like ``ln(1/eps)^2`` as ``eps -> 0`` and has
  a ``d eps`` term (inside ``trace_bias``, from ``tr(Lambda_{-1}) = d eps``) that vanishes with it;
  the paper's final line carries the same ``6 d eps``.
- Assumption 5.1's closeness condition is garbled ("w w L1 d"); we read ``||w - w'||_inf <=
  1/||L1||_inf``, which ``eta <= 1/(4 ||L1||_inf)`` guarantees with room to spare (step 1). The
  other plausible reading, ``||w - w'||_2 <= sqrt(d)/||L1||_inf``, is met too (each coordinate
  moves at most ``eta``), so the derivation does not depend on which one is meant.

Reference: Liu, Pan, Zhang, *AdaGrad under Anisotropic Smoothness*, ICLR 2025, Theorems 4.3 and
5.3, Appendix F, Lemmas C.2, C.3, G.3, G.4, G.5.
"""

from __future__ import annotations

import sympy as sp

from boundcheck.theory import symbols as S
from boundcheck.theory.derivation import Derivation, Step, is_nonnegative
from boundcheck.theory.theorem import Symbolic

TESTS = "tests/test_theorems_nonconvex.py"


def _test(name: str) -> str:
    return f"{TESTS}::{name}"


# --------------------------------------------------------------------------- the bound
def minibatch_noise(sigma_norm1: sp.Expr = S.sigma_norm1, M: sp.Expr = S.M) -> sp.Expr:
    """``||s||_1 = ||sigma||_1 / sqrt(M)`` (Lemma C.2: ``E_t n_{t,j}^2 <= sigma_j^2/M``)."""
    return sigma_norm1 / sp.sqrt(M)


def bound_parts(eta: sp.Expr, L0_norm1: sp.Expr, L1_norminf: sp.Expr) -> dict[str, sp.Expr]:
    """Every intermediate quantity of the derivation, for a constant step size ``eta``.

    Valid for any ``eta`` with ``kappa = eta * L1_norminf <= 1/4`` (the step-size rules of both
    theorems satisfy it). Keys: ``s`` (``||sigma||_1/sqrt(M)``), ``kappa``, ``C0``, ``C1``,
    ``x_bar`` (bound on ``E tr(Lambda_{T-1})/eps``), ``trace_bound`` (``eps * x_bar``),
    ``U`` (bound on ``sum_t E <grad f, Lambda~_t^{-1} grad f>``), ``V`` (bound on
    ``sum_j E sqrt(Q_j)``), ``bound`` (``U V / T``) and the split ``U_bias, U_var, V_bias, V_var``.
    """
    T, d, eps, Delta = S.T, S.d, S.eps, S.Delta
    s = minibatch_noise()
    kappa = eta * L1_norminf
    a_P = 1 - kappa / 2  # coefficient of <g, Lambda^{-1} g> in F.4
    a_N = 1 + kappa / 2  # coefficient of the noise cross term
    c_G = sp.Rational(1, 2) - kappa  # coefficient of G_t in the one-step inequality
    C1 = (eta * L0_norm1 + a_N * s * sp.sqrt(T)) / (a_P * eps)
    C0 = d + (Delta / eta + a_N * s * sp.sqrt(T) / 2) / (a_P * eps)
    log_C1 = sp.log(C1 + sp.E)
    x_bar = 2 * C0 + 5 * C1 * log_C1
    ell = sp.log(x_bar)
    U_bias = (Delta + eta**2 * L0_norm1 * ell) / (eta * c_G)
    U_var = 2 * a_N * s * ell / c_G
    trace_bias = 2 * d * eps + (2 * Delta / eta + 5 * eta * L0_norm1 * log_C1) / a_P
    trace_var = a_N * s * sp.sqrt(T) * (1 + 5 * log_C1) / a_P
    V_bias = sp.sqrt(3) * trace_bias
    V_var = sp.sqrt(3) * trace_var + sp.sqrt(2 * T + 1) * s
    U = U_bias + U_var
    V = V_bias + V_var
    return {
        "s": s, "kappa": kappa, "C0": C0, "C1": C1, "x_bar": x_bar, "trace_bound": eps * x_bar,
        "trace_bias": trace_bias, "trace_var": trace_var, "ell": ell,
        "U": U, "V": V, "U_bias": U_bias, "U_var": U_var, "V_bias": V_bias, "V_var": V_var,
        "bound": U * V / T,
    }


def named_terms(parts: dict[str, sp.Expr]) -> dict[str, sp.Expr]:
    """``U V / T`` split by order in the noise: ``bias`` + ``variance_cross`` + ``variance``."""
    T = S.T
    return {
        "bias": parts["U_bias"] * parts["V_bias"] / T,
        "variance_cross": (parts["U_bias"] * parts["V_var"] + parts["U_var"] * parts["V_bias"]) / T,
        "variance": parts["U_var"] * parts["V_var"] / T,
    }


def bound_for_step_size(eta: sp.Expr = S.eta, L0_norm1: sp.Expr = S.L0_norm1,
                        L1_norminf: sp.Expr = S.L1_norminf) -> sp.Expr:
    """The explicit bound of Theorem 5.3 for any constant step size with ``eta ||L1||_inf <= 1/4``
    (Theorem 4.3: ``L1_norminf = 0``, ``L0_norm1 = L_norm1``)."""
    return sum(named_terms(bound_parts(eta, L0_norm1, L1_norminf)).values())


STEP_43 = sp.sqrt(S.Delta / S.L_norm1)
STEP_53 = sp.Min(1 / (4 * S.L1_norminf), sp.sqrt(S.Delta / S.L0_norm1))

PARTS_43 = bound_parts(STEP_43, S.L_norm1, sp.Integer(0))
PARTS_53 = bound_parts(STEP_53, S.L0_norm1, S.L1_norminf)
TERMS_43 = named_terms(PARTS_43)
TERMS_53 = named_terms(PARTS_53)

O_FORM_43 = (sp.sqrt(S.Delta * S.L_norm1) * S.sigma_norm1 / sp.sqrt(S.M * S.T)
             + S.sigma_norm1**2 / (S.M * sp.sqrt(S.T)) + S.Delta * S.L_norm1 / S.T)
O_FORM_53 = (sp.sqrt(S.Delta * S.L0_norm1) * S.sigma_norm1 / sp.sqrt(S.M * S.T)
             + S.sigma_norm1**2 / (S.M * sp.sqrt(S.T)) + S.Delta * S.L0_norm1 / S.T
             + S.L1_norminf * S.Delta * S.sigma_norm1 / sp.sqrt(S.M * S.T)
             + S.L1_norminf**2 * S.Delta**2 / S.T)


# --------------------------------------------------------------------------- proof steps
# Per-coordinate quantities at one iteration (local to the derivation, not public symbols):
# gr = |d_j f(w_t)|, g = |g_{t,j}|, lp = lambda_{t-1,j}, r = sqrt(E_t g_{t,j}^2), s = s_j, c > 0.
_gr, _g, _lp, _r, _s, _c, _m = sp.symbols("nabla g lambda_prev r s c m", positive=True)
_lam = sp.sqrt(_lp**2 + _g**2)  # lambda_{t,j}
_lamt = sp.sqrt(_lp**2 + _r**2)  # lambda~_{t,j}
_x, _y = sp.symbols("x y", positive=True)
_eta, _L1 = sp.symbols("eta L1_inf", positive=True)
# Aggregates at one iteration: G = G_t, Sa = sum_j s_j E_t a_{t,j}, La = sum_j L0_j E_t a_{t,j}.
_G, _Sa, _La = sp.symbols("G Sa La", nonnegative=True)


def _sqrt_ge(radicand: sp.Expr, b: sp.Expr) -> bool:
    """``sqrt(radicand) >= b`` for ``b >= 0``: check ``radicand - b^2 >= 0``."""
    return bool(is_nonnegative(sp.expand(radicand - b**2)))


def _prove_ratio() -> bool:
    # (|g| + r)/(lambda + lambda~) <= 1  <=  lambda >= |g| and lambda~ >= r
    return _sqrt_ge(_lp**2 + _g**2, _g) and _sqrt_ge(_lp**2 + _r**2, _r)


def _prove_deviation_algebra() -> bool:
    # E(|g| - r)^2 = 2 r (r - m) with m = E|g| <= r; and r - m <= sqrt(r^2 - m^2) <= sqrt(Var):
    # (r - m)^2 <= (r - m)(r + m)  <=>  2 m (r - m) >= 0.
    r_minus_m = sp.Symbol("r_minus_m", nonnegative=True)
    return bool(is_nonnegative(sp.expand((r_minus_m) * (r_minus_m + 2 * _m) - r_minus_m**2)))


def _prove_telescoping() -> bool:
    # g^2/lambda_t >= lambda_t - lambda_{t-1}:  g^2/lam - (lam - lp) = lp (lam - lp)/lam, lam >= lp.
    diff = _g**2 / _lam - (_lam - _lp)
    same = sp.simplify(diff - _lp * (_lam - _lp) / _lam) == 0
    return same and _sqrt_ge(_lp**2 + _g**2, _lp)


def _prove_cubic() -> bool:
    # (eta^2/2) L1 |g|^3/lambda^2 <= (eta kappa/2) g^2/lambda with kappa = eta L1, since |g| <= lambda:
    # difference = (eta^2 L1 g^2 / (2 lambda^2)) (lambda - |g|).
    diff = (_eta * (_eta * _L1) / 2) * _g**2 / _lam - (_eta**2 / 2) * _L1 * _g**3 / _lam**2
    factored = (_eta**2 * _L1 * _g**2 / (2 * _lam**2)) * (_lam - _g)
    return sp.simplify(diff - factored) == 0 and _sqrt_ge(_lp**2 + _g**2, _g)


def _prove_step_size_53() -> bool:
    # kappa = eta ||L1||_inf <= 1/4 for eta = min{1/(4||L1||_inf), sqrt(Delta/||L0||_1)}:
    # eta is a Min having a = 1/(4||L1||_inf) among its arguments (so eta <= a), and a ||L1||_inf = 1/4.
    a = 1 / (4 * S.L1_norminf)
    return (isinstance(STEP_53, sp.Min) and a in STEP_53.args
            and sp.simplify(a * S.L1_norminf) == sp.Rational(1, 4))


def _prove_coefficients() -> bool:
    # 1/2 - kappa >= 1/4, 1 - kappa/2 >= 7/8 for 0 <= kappa <= 1/4 (affine: check the endpoints).
    k = sp.Symbol("kappa")
    return all(
        (sp.Rational(1, 2) - k).subs(k, v) >= sp.Rational(1, 4) and (1 - k / 2).subs(k, v) >= sp.Rational(7, 8)
        for v in (0, sp.Rational(1, 4))
    )


def _prove_G4_use_nonnegative() -> bool:
    # G.4 needs C0 >= 0 and C1 >= 0: both are sums of non-negative terms over positive
    # denominators for 0 <= kappa <= 1/4.
    k = sp.Symbol("kappa", nonnegative=True)
    parts = bound_parts(k / S.L1_norminf, S.L0_norm1, S.L1_norminf)  # eta = kappa/||L1||
    # a_P = 1 - kappa/2 > 0 for kappa <= 1/4; substitute kappa = u/(4 (1 + u)) in (0, 1/4)
    # (kappa = 0 is Theorem 4.3, where eta > 0 is given directly and the same terms appear).
    u = sp.Symbol("u", positive=True)
    return all(bool(is_nonnegative(sp.simplify(parts[name].subs(k, u / (4 * (1 + u))))))
               for name in ("C0", "C1"))


def _prove_G4_violates_C1_ge_C0() -> bool:
    # Theorem 4.3 at sigma = 0: C0 - C1 = d > 0, so a hypothesis "C1 >= C0" would fail.
    diff = (PARTS_43["C0"] - PARTS_43["C1"]).subs(S.sigma_norm1, 0)
    return sp.simplify(diff - S.d) == 0


def _prove_limit_L1_to_0() -> bool:
    # For ||L1||_inf < sqrt(||L0||_1/Delta)/4 the Min in eta_5.3 is sqrt(Delta/||L0||_1), and the
    # bound is then an analytic function of L1 whose value at 0 is Theorem 4.3's (L -> L0).
    small = bound_for_step_size(sp.sqrt(S.Delta / S.L0_norm1), S.L0_norm1, S.L1_norminf)
    at0 = small.subs(S.L1_norminf, 0)
    thm43 = sum(TERMS_43.values()).subs(S.L_norm1, S.L0_norm1)
    return sp.simplify(at0 - thm43) == 0


def _assembly_eq() -> bool:
    # The named terms add up to U V / T (checked on the split with U, V as free symbols) and the
    # two halves of the trace bound add up to eps * x_bar.
    Ub, Uv, Vb, Vv = sp.symbols("U_bias U_var V_bias V_var", positive=True)
    split = named_terms({"U_bias": Ub, "U_var": Uv, "V_bias": Vb, "V_var": Vv})
    split_ok = sp.expand(sum(split.values()) - (Ub + Uv) * (Vb + Vv) / S.T) == 0
    parts = bound_parts(S.eta, S.L0_norm1, S.L1_norminf)
    trace_ok = sp.simplify(parts["trace_bias"] + parts["trace_var"] - parts["trace_bound"]) == 0
    uv_ok = (sp.simplify(parts["U_bias"] + parts["U_var"] - parts["U"]) == 0
             and sp.simplify(parts["V_bias"] + parts["V_var"] - parts["V"]) == 0)
    v_ok = sp.simplify(parts["V"] - (sp.sqrt(3) * parts["trace_bound"]
                                      + sp.sqrt(2 * S.T + 1) * parts["s"])) == 0
    return split_ok and trace_ok and uv_ok and v_ok


def _f4_assembly_eq() -> bool:
    # eps x <= d eps + [Delta + eta^2 ||L0|| ln x + eta a_N ||s|| sqrt(T) (1/2 + ln x)] / (eta a_P)
    # is x <= C0 + C1 ln x.
    parts = bound_parts(S.eta, S.L0_norm1, S.L1_norminf)
    lnx = sp.Symbol("lnx")
    kappa, s = parts["kappa"], parts["s"]
    a_P, a_N = 1 - kappa / 2, 1 + kappa / 2
    rhs = (S.d * S.eps + (S.Delta + S.eta**2 * S.L0_norm1 * lnx
                          + S.eta * a_N * s * sp.sqrt(S.T) * (sp.Rational(1, 2) + lnx)) / (S.eta * a_P)) / S.eps
    return sp.simplify(rhs - (parts["C0"] + parts["C1"] * lnx)) == 0


def _u_assembly_eq() -> bool:
    # eta (1/2 - kappa) sum_t E G_t <= Delta + sum_j [eta (1+kappa/2) s_j + eta^2 L0_j/2] * 2 ln x_bar
    parts = bound_parts(S.eta, S.L0_norm1, S.L1_norminf)
    kappa, s, ell = parts["kappa"], parts["s"], parts["ell"]
    from_chain = (S.Delta + (S.eta * (1 + kappa / 2) * s + S.eta**2 * S.L0_norm1 / 2) * 2 * ell) / (
        S.eta * (sp.Rational(1, 2) - kappa))
    return sp.simplify(from_chain - parts["U"]) == 0


def _step_ge_of_Q() -> bool:
    # E sqrt(2 S + s^2) <= sqrt(2 E S + s^2) <= sqrt(2 T s^2 + s^2) = s sqrt(2T + 1)  (algebra part)
    return sp.simplify(sp.sqrt(2 * S.T * _s**2 + _s**2) - _s * sp.sqrt(2 * S.T + 1)) == 0


DERIVATION = Derivation((
    Step("closeness",
         "Alg. 1 II: |w_{t+1,j}-w_{t,j}| = eta|g|/sqrt(lambda_{t-1}^2+g^2) <= eta (<= 1/||L1||_inf)",
         lhs=_eta * _g / _lam, rhs=_eta,
         prover=lambda: _sqrt_ge(_lp**2 + _g**2, _g)),
    Step("step size 5.3", "eta = min{1/(4||L1||_inf), sqrt(Delta/||L0||_1)} gives kappa = eta ||L1||_inf <= 1/4",
         prover=_prove_step_size_53),
    Step("coefficients", "0 <= kappa <= 1/4 gives 1/2 - kappa >= 1/4 and 1 - kappa/2 >= 7/8 (positive divisors)",
         prover=_prove_coefficients),
    Step("descent (Lemma C.3)",
         "f(w_{t+1}) <= f(w_t) - eta <grad f, Lambda_t^{-1} g_t> + (eta^2/2) sum_j (L0_j + L1_j|d_j f|) a_{t,j}",
         how="property", test=_test("test_descent_lemma_on_test_problems")),
    Step("F.1 split", "grad*g*(1/lambda~ - 1/lambda) = grad*g*(g^2 - r^2)/(lambda lambda~ (lambda + lambda~))",
         lhs=_gr * _g * (1 / _lamt - 1 / _lam),
         rhs=_gr * _g * (_g**2 - _r**2) / (_lam * _lamt * (_lam + _lamt)), kind="eq"),
    Step("F.1 ratio", "(|g| + r)/(lambda + lambda~) <= 1 since lambda >= |g|, lambda~ >= r",
         prover=_prove_ratio),
    Step("Young (Lemma G.2)", "x y <= (c/2) x^2 + y^2/(2c) for c > 0",
         lhs=_x * _y, rhs=_c / 2 * _x**2 + _y**2 / (2 * _c)),
    Step("F.1 deviation (algebra)", "r - E|g| <= sqrt(r^2 - (E|g|)^2) <= sqrt(Var g) <= s",
         prover=_prove_deviation_algebra),
    Step("F.1 deviation", "E_t(|g| - r)^2 = 2 r (r - E_t|g|) <= 2 s r",
         how="property", test=_test("test_abs_deviation_bound")),
    Step("Lemma F.1", "E_t <grad f, (Lambda~^{-1} - Lambda^{-1}) g> <= G_t/2 + sum_j s_j E_t a_{t,j}",
         how="property", test=_test("test_lemma_F1_exact_expectations")),
    Step("F.2 Jensen", "E_t[g^2/(p^2+g^2)] <= E_t g^2/(p^2 + E_t g^2) (x/(p^2+x) is concave)",
         how="property", test=_test("test_F2_concave_jensen")),
    Step("Lemma F.2", "L1_j|d_j f| E_t a_{t,j} <= 2 L1_j (d_j f)^2/lambda~_{t,j} + L1_j s_j E_t a_{t,j}",
         how="property", test=_test("test_lemma_F2_exact_expectations")),
    Step("one step", "E_t f(w_{t+1}) <= f(w_t) - eta(1/2 - kappa) G_t + eta(1+kappa/2) Sa + (eta^2/2) La",
         lhs=-_eta * (_G / 2 - _Sa) + _eta**2 / 2 * _La + _eta**2 / 2 * (2 * _L1 * _G + _L1 * _Sa),
         rhs=-_eta * (sp.Rational(1, 2) - _eta * _L1) * _G + _eta * (1 + _eta * _L1 / 2) * _Sa
         + _eta**2 / 2 * _La, kind="eq"),
    Step("one step (per coordinate)",
         "-eta E_t[grad g/lambda] + (eta^2/2) L1 |grad| E_t a <= -eta(1/2-kappa) grad^2/lambda~ + eta(1+kappa/2) s E_t a",
         how="property", test=_test("test_one_step_combination")),
    Step("Lemma F.3 (G.3)", "sum_t a_{t,j} <= ln(lambda_{T-1,j}^2/eps^2) = 2 ln(lambda_{T-1,j}/eps) pathwise",
         how="property", test=_test("test_lemma_F3_pathwise")),
    Step("F.3 Jensen", "E sum_t a_{t,j} <= 2 ln(E lambda_{T-1,j}/eps) <= 2 ln(E tr Lambda_{T-1}/eps)",
         how="property", test=_test("test_expectation_steps_on_empirical_measures")),
    Step("(27)", "sum_t E G_t <= U = [Delta + (2 eta (1+kappa/2)||s||_1 + eta^2||L0||_1) ln x_bar]/(eta(1/2-kappa))",
         prover=_u_assembly_eq),
    Step("F.4 telescoping", "g^2/lambda_t >= lambda_t - lambda_{t-1}, so sum_t <g,Lambda^{-1}g> >= tr Lambda_{T-1} - d eps",
         prover=_prove_telescoping),
    Step("F.4 L1 terms", "(eta^2/2) L1_j |g|^3/lambda^2 <= (eta kappa/2) g^2/lambda (and |n||g|/lambda likewise)",
         prover=_prove_cubic),
    Step("F.4 pathwise", "tr Lambda_{T-1} - d eps <= [Delta + eta^2 sum_j L0_j A_j/2 + eta a_N sum_j sqrt(S_j A_j)]/(eta a_P)",
         how="property", test=_test("test_lemma_F4_pathwise_on_test_problem")),
    Step("sqrt-log", "sqrt(2 y) <= 1/2 + y",
         lhs=sp.sqrt(2 * _y), rhs=sp.Rational(1, 2) + _y,
         prover=lambda: sp.expand((sp.Rational(1, 2) + _y) - sp.sqrt(2 * _y)
                                  - (sp.sqrt(_y) - 1 / sp.sqrt(2))**2) == 0),
    Step("F.4 expectation", "E[sqrt(S_j) sqrt(2 ln(tr/eps))] <= s_j sqrt(T) sqrt(2 ln x) (Cauchy-Schwarz, Jensen, C.2)",
         how="property", test=_test("test_expectation_steps_on_empirical_measures")),
    Step("F.4 -> G.4 form", "the F.4 inequality is x <= C0 + C1 ln x with x = E tr(Lambda_{T-1})/eps",
         prover=_f4_assembly_eq),
    Step("G.4 hypotheses", "C0 >= 0 and C1 >= 0 in the use of G.4 (all that G.4's proof needs)",
         prover=_prove_G4_use_nonnegative),
    Step("G.4 not C1 >= C0", "Theorem 4.3 at sigma = 0: C0 - C1 = d > 0 (the reading 'C1 >= C0' fails)",
         prover=_prove_G4_violates_C1_ge_C0),
    Step("Lemma G.4", "x <= C0 + C1 ln x, C0, C1 >= 0  =>  x <= 2 C0 + 5 C1 ln(C1 + e)",
         how="property", test=_test("test_lemma_G4_without_C1_ge_C0")),
    Step("(28) denominator", "lambda~_{t,j}^2 <= Q_j = lambda_{T-1,j}^2 + sum_s (d_j f(w_s))^2 + s_j^2",
         how="property", test=_test("test_final_chain_pathwise")),
    Step("(28) Cauchy-Schwarz", "(sum_j E R_j)^2 <= (sum_j E[R_j^2/sqrt(Q_j)]) (sum_j E sqrt(Q_j))",
         how="property", test=_test("test_expectation_steps_on_empirical_measures")),
    Step("(29) pathwise", "sqrt(Q_j) <= sqrt(3) lambda_{T-1,j} + sqrt(2 sum_s n_{s,j}^2 + s_j^2)",
         how="property", test=_test("test_final_chain_pathwise")),
    Step("(29) expectation", "sqrt(2 T s^2 + s^2) = s sqrt(2T+1) (after Jensen and E sum n^2 <= T s^2)",
         prover=_step_ge_of_Q),
    Step("Lemma G.5", "sqrt(sum_t ||a_t||_1^2) <= sum_j sqrt(sum_t a_{t,j}^2)",
         how="property", test=_test("test_lemma_G5")),
    Step("assembly", "U V / T = bias + variance_cross + variance; eps x_bar = trace_bias + trace_var",
         prover=_assembly_eq),
    Step("L1 -> 0", "Theorem 5.3's bound at L1 -> 0 is Theorem 4.3's with L -> L0",
         prover=_prove_limit_L1_to_0),
    Step("simulation", "Algorithm 1 II on nonconvex test problems stays below the explicit bound",
         how="property", test=_test("test_simulation_below_bound")),
))

_NOTES = __doc__.split("**Where this differs")[1].split("Reference:")[0]
READING = (
    "Quantity: the proof bounds (E sqrt((1/T) sum_t ||grad f(w_t)||_1^2))^2 (Cauchy-Schwarz in "
    "expectation, then Lemma G.5). This implies (E (1/T) sum_t ||grad f(w_t)||_1)^2 (Jensen) but NOT "
    "(1/T) sum_t E ||grad f(w_t)||_1^2. Noise enters as sigma/sqrt(M) (Lemma C.2). "
    "Differences from the printed text:" + _NOTES
)


def thm43() -> Symbolic:
    """Theorem 4.3's SymPy parts (Theorem 5.3's derivation with L1 = 0, L0 = L)."""
    return Symbolic(o_form=O_FORM_43, step_size=STEP_43, terms=TERMS_43, derivation=DERIVATION,
                    notes=READING)


def thm53() -> Symbolic:
    """Theorem 5.3's SymPy parts."""
    return Symbolic(o_form=O_FORM_53, step_size=STEP_53, terms=TERMS_53, derivation=DERIVATION,
                    notes=READING)
