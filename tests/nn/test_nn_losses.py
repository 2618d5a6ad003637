"""Pérdidas: valores y gradientes frente a PyTorch (float64), casos límite y errores."""
import types
import warnings

import numpy as np
import pytest

import tinygrad_es as torch
import tinygrad_es.nn as nn
import tinygrad_es.nn.functional as F

OURS = types.SimpleNamespace(tensor=torch.tensor, F=F, nn=nn)
REDUCTIONS = ["mean", "sum", "none"]


def _rng(seed):
    return np.random.default_rng(seed)


def _logits(seed, shape):
    return _rng(seed).standard_normal(shape) * 2


def _classes(seed, shape, n, ignore=None, ignore_value=-100):
    t = _rng(seed + 100).integers(0, n, size=shape)
    if ignore:
        t.flat[list(ignore)] = ignore_value
    return t


def _probs(seed, shape):
    return _rng(seed + 7).uniform(0.02, 0.98, size=shape)


def _soft_targets(seed, shape, axis=1):
    e = np.exp(_rng(seed + 3).standard_normal(shape))
    return e / e.sum(axis=axis, keepdims=True)


def _weights(seed, n):
    return _rng(seed + 11).uniform(0.2, 2.0, size=n)


# (nombre, función, entradas, cuáles piden gradiente, kwargs)
CASES = [
    ("mse", "mse_loss", lambda: [_logits(0, (5, 3)), _logits(1, (5, 3))], [True, True], {}),
    ("mse_peso", "mse_loss", lambda: [_logits(0, (5, 3)), _logits(1, (5, 3))], [True, True],
     {"weight": _weights(0, (5, 3))}),
    ("l1", "l1_loss", lambda: [_logits(2, (4, 3)), _logits(3, (4, 3))], [True, True], {}),
    ("l1_peso", "l1_loss", lambda: [_logits(2, (4, 3)), _logits(3, (4, 3))], [True, False],
     {"weight": _weights(1, (4, 3))}),
    ("nll", "nll_loss", lambda: [_logits(4, (6, 4)), _classes(4, 6, 4)], [True, False], {}),
    ("nll_peso", "nll_loss", lambda: [_logits(5, (6, 4)), _classes(5, 6, 4)], [True, False],
     {"weight": _weights(2, 4)}),
    ("nll_ignore", "nll_loss", lambda: [_logits(6, (6, 4)), _classes(6, 6, 4, ignore=[1, 4])],
     [True, False], {"weight": _weights(3, 4)}),
    ("nll_ignore_2", "nll_loss", lambda: [_logits(7, (6, 4)), _classes(7, 6, 4)],
     [True, False], {"ignore_index": 2}),
    ("nll_kdim", "nll_loss", lambda: [_logits(8, (2, 3, 4, 2)), _classes(8, (2, 4, 2), 3,
                                                                         ignore=[3])],
     [True, False], {"weight": _weights(4, 3)}),
    ("nll_sin_lote", "nll_loss", lambda: [_logits(9, (5,)), np.array(3)], [True, False], {}),
    ("ce", "cross_entropy", lambda: [_logits(10, (7, 5)), _classes(10, 7, 5)], [True, False], {}),
    ("ce_peso_ignore", "cross_entropy",
     lambda: [_logits(11, (7, 5)), _classes(11, 7, 5, ignore=[0, 5])], [True, False],
     {"weight": _weights(5, 5)}),
    ("ce_suavizado", "cross_entropy", lambda: [_logits(12, (7, 5)), _classes(12, 7, 5)],
     [True, False], {"label_smoothing": 0.1}),
    ("ce_suavizado_peso_ignore", "cross_entropy",
     lambda: [_logits(13, (7, 5)), _classes(13, 7, 5, ignore=[2])], [True, False],
     {"label_smoothing": 0.25, "weight": _weights(6, 5)}),
    ("ce_suavizado_ignore", "cross_entropy",
     lambda: [_logits(14, (7, 5)), _classes(14, 7, 5, ignore=[2, 3])], [True, False],
     {"label_smoothing": 0.3}),
    ("ce_kdim_suavizado", "cross_entropy",
     lambda: [_logits(15, (2, 4, 3)), _classes(15, (2, 3), 4, ignore=[1])], [True, False],
     {"label_smoothing": 0.2, "weight": _weights(7, 4)}),
    ("ce_prob", "cross_entropy", lambda: [_logits(16, (6, 4)), _soft_targets(16, (6, 4))],
     [True, True], {}),
    ("ce_prob_peso_suavizado", "cross_entropy",
     lambda: [_logits(17, (6, 4)), _soft_targets(17, (6, 4))], [True, True],
     {"weight": _weights(8, 4), "label_smoothing": 0.15}),
    ("ce_prob_kdim", "cross_entropy",
     lambda: [_logits(18, (2, 3, 5)), _soft_targets(18, (2, 3, 5))], [True, False], {}),
    ("ce_sin_lote", "cross_entropy", lambda: [_logits(19, (5,)), np.array(1)], [True, False],
     {"label_smoothing": 0.1}),
    ("bce", "binary_cross_entropy", lambda: [_probs(20, (5, 3)), _probs(21, (5, 3))],
     [True, True], {}),
    ("bce_peso", "binary_cross_entropy", lambda: [_probs(22, (5, 3)), _probs(23, (5, 3))],
     [True, True], {"weight": _weights(9, 3)}),
    ("bce_extremos", "binary_cross_entropy",
     lambda: [np.array([0.0, 1.0, 0.0, 1.0, 0.5, 1e-30]), np.array([1.0, 0.0, 0.0, 1.0, 1.0, 1.0])],
     [True, False], {}),
    ("bcel", "binary_cross_entropy_with_logits",
     lambda: [_logits(24, (5, 3)), _probs(24, (5, 3))], [True, True], {}),
    ("bcel_pesos", "binary_cross_entropy_with_logits",
     lambda: [_logits(25, (5, 3)), _probs(25, (5, 3))], [True, True],
     {"weight": _weights(10, (5, 1)), "pos_weight": _weights(11, 3)}),
    ("bcel_grandes", "binary_cross_entropy_with_logits",
     lambda: [np.array([-1000.0, 1000.0, -50.0, 50.0, 0.0]), np.array([1.0, 0.0, 0.0, 1.0, 0.5])],
     [True, True], {"pos_weight": np.array([3.0])}),
]


def _run(lib, fname, arrays, requires, kwargs, reduction, upstream_seed=0):
    tensors = [lib.tensor(a, requires_grad=r) for a, r in zip(arrays, requires)]
    kw = {k: lib.tensor(v) if isinstance(v, np.ndarray) else v for k, v in kwargs.items()}
    out = getattr(lib.F, fname)(*tensors, reduction=reduction, **kw)
    upstream = _rng(upstream_seed).standard_normal(tuple(out.shape))
    out.backward(lib.tensor(upstream))
    grads = [t.grad.numpy() if r else None for t, r in zip(tensors, requires)]
    return out.detach().numpy(), grads, out


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name,fname,make,requires,kwargs", CASES, ids=[c[0] for c in CASES])
def test_loss_matches_torch(requiere_torch, name, fname, make, requires, kwargs, reduction):
    theirs = types.SimpleNamespace(tensor=requiere_torch.tensor,
                                   F=requiere_torch.nn.functional, nn=requiere_torch.nn)
    arrays = make()
    value, grads, out = _run(OURS, fname, arrays, requires, kwargs, reduction)
    ref_value, ref_grads, _ = _run(theirs, fname, arrays, requires, kwargs, reduction)
    assert out.dtype == torch.float64
    assert value.shape == ref_value.shape
    np.testing.assert_allclose(value, ref_value, rtol=1e-10, atol=1e-12)
    assert np.isfinite(value).all()
    for i, (g, ref) in enumerate(zip(grads, ref_grads)):
        if ref is None:
            continue
        assert g.dtype == np.float64 and g.shape == ref.shape
        np.testing.assert_allclose(g, ref, rtol=1e-7, atol=1e-10, err_msg=f"entrada {i}")


@pytest.mark.parametrize("name,fname,make,requires,kwargs", CASES, ids=[c[0] for c in CASES])
def test_loss_keeps_float32(name, fname, make, requires, kwargs):
    arrays = [a.astype(np.float32) if a.dtype.kind == "f" else a for a in make()]
    kw = {k: (v.astype(np.float32) if isinstance(v, np.ndarray) else v) for k, v in kwargs.items()}
    for reduction in REDUCTIONS:
        value, grads, out = _run(OURS, fname, arrays, requires, kw, reduction)
        assert out.dtype == torch.float32 and value.dtype == np.float32
        assert all(g.dtype == np.float32 for g in grads if g is not None)


def test_modules_call_functional_with_their_settings(requiere_torch):
    T = requiere_torch
    x, t = _logits(30, (6, 4)), _classes(30, 6, 4, ignore=[2], ignore_value=3)
    w = _weights(30, 4)
    pairs = [
        (nn.CrossEntropyLoss(weight=torch.tensor(w), ignore_index=3, label_smoothing=0.2,
                             reduction="sum"),
         T.nn.CrossEntropyLoss(weight=T.tensor(w), ignore_index=3, label_smoothing=0.2,
                               reduction="sum"), x, t),
        (nn.NLLLoss(weight=torch.tensor(w), reduction="none"),
         T.nn.NLLLoss(weight=T.tensor(w), reduction="none"), x, np.where(t == 3, 0, t)),
        (nn.MSELoss(reduction="sum"), T.nn.MSELoss(reduction="sum"), x, x[::-1].copy()),
        (nn.L1Loss(), T.nn.L1Loss(), x, x[::-1].copy()),
        (nn.BCELoss(weight=torch.tensor(w)), T.nn.BCELoss(weight=T.tensor(w)),
         _probs(31, (6, 4)), _probs(32, (6, 4))),
        (nn.BCEWithLogitsLoss(pos_weight=torch.tensor(w)),
         T.nn.BCEWithLogitsLoss(pos_weight=T.tensor(w)), x, _probs(33, (6, 4))),
    ]
    for ours, ref, a, b in pairs:
        got = ours(torch.tensor(a), torch.tensor(b)).numpy()
        want = ref(T.tensor(a), T.tensor(b)).numpy()
        np.testing.assert_allclose(got, want, rtol=1e-10, err_msg=type(ours).__name__)
    assert list(nn.CrossEntropyLoss(weight=torch.ones(3)).state_dict()) == ["weight"]
    assert list(nn.BCEWithLogitsLoss(pos_weight=torch.ones(2)).state_dict()) == ["pos_weight"]


def test_grad_fn_names_like_torch():
    x = torch.randn(4, 3, requires_grad=True)
    t = torch.tensor([0, 2, 1, 1])
    assert repr(F.nll_loss(x, t)).endswith("grad_fn=<NllLossBackward0>)")
    assert repr(F.cross_entropy(x, t)).endswith("grad_fn=<NllLossBackward0>)")
    assert F.mse_loss(x, torch.zeros(4, 3)).grad_fn.op_name == "MseLoss"
    assert F.binary_cross_entropy(x.sigmoid(), torch.rand(4, 3)).grad_fn.op_name == \
        "BinaryCrossEntropy"
    assert F.binary_cross_entropy_with_logits(x, torch.rand(4, 3)).grad_fn.op_name == \
        "BinaryCrossEntropyWithLogits"


# --- casos límite ---------------------------------------------------------------------------
def test_bce_at_zero_and_one_is_finite_with_large_gradient():
    p = torch.tensor([0.0, 1.0], requires_grad=True)
    loss = F.binary_cross_entropy(p, torch.tensor([1.0, 0.0]), reduction="sum")
    assert loss.item() == pytest.approx(200.0)
    loss.backward()
    assert np.isfinite(p.grad.numpy()).all()
    assert p.grad.tolist()[0] < -1e10 and p.grad.tolist()[1] > 1e10


def test_bce_with_logits_is_stable_for_huge_logits():
    x = torch.tensor([-1000.0, 1000.0], requires_grad=True)
    loss = F.binary_cross_entropy_with_logits(x, torch.tensor([1.0, 0.0]), reduction="none")
    assert loss.tolist() == [1000.0, 1000.0]
    loss.sum().backward()
    assert x.grad.tolist() == [-1.0, 1.0]


def test_nll_all_ignored_gives_nan_like_torch():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = F.nll_loss(torch.randn(2, 3), torch.tensor([-100, -100]))
    assert np.isnan(out.item())


def test_cross_entropy_equals_log_softmax_plus_nll():
    torch.manual_seed(0)
    x = torch.randn(8, 10)
    y = torch.randint(0, 10, (8,))
    ce = F.cross_entropy(x, y)
    nll = F.nll_loss(F.log_softmax(x, dim=1), y)
    assert ce.item() == pytest.approx(nll.item(), rel=1e-6)
    assert nn.CrossEntropyLoss()(x, y).item() == pytest.approx(ce.item(), rel=1e-6)


def test_uint8_targets_accepted():
    x = torch.randn(3, 4)
    y = torch.tensor([1, 0, 3])
    assert F.cross_entropy(x, y.type(torch.uint8)).item() == pytest.approx(
        F.cross_entropy(x, y).item())


def test_mse_shape_mismatch_warns_in_spanish_and_broadcasts(requiere_torch):
    T = requiere_torch
    out_np = _logits(40, (4, 1))
    target_np = _logits(41, (4,))
    with pytest.warns(UserWarning, match="difusión") as record:
        ours = F.mse_loss(torch.tensor(out_np), torch.tensor(target_np))
    assert "(4,)" in str(record[0].message) and "(4, 1)" in str(record[0].message)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = T.nn.functional.mse_loss(T.tensor(out_np), T.tensor(target_np))
    assert ours.item() == pytest.approx(ref.item(), rel=1e-12)
    with pytest.warns(UserWarning):
        nn.L1Loss()(torch.ones(4, 1), torch.zeros(4))
    with pytest.warns(UserWarning), pytest.raises(RuntimeError):
        F.mse_loss(torch.ones(4, 3), torch.ones(4))


# --- errores ----------------------------------------------------------------------------------
def test_target_out_of_range_is_index_error():
    x = torch.randn(4, 10)
    with pytest.raises(IndexError, match=r"objetivo 10 .*10 clases"):
        F.cross_entropy(x, torch.tensor([1, 10, 2, 3]))
    with pytest.raises(IndexError, match="objetivo -2"):
        F.nll_loss(x, torch.tensor([1, -2, 2, 3]))
    F.nll_loss(x, torch.tensor([1, -100, 2, 3]))   # ignore_index no es un error


def test_float_targets_to_nll_explain_long():
    x = torch.randn(4, 3)
    for fn in (F.nll_loss, F.cross_entropy):
        with pytest.raises(RuntimeError, match=r"\.long\(\)"):
            fn(x, torch.tensor([0.0, 1.0, 2.0, 1.0]))
    with pytest.raises(RuntimeError, match="int64"):
        F.nll_loss(x, torch.tensor([0, 1, 2, 1], dtype=torch.int32))


def test_batch_size_mismatch_names_both_sizes():
    x = torch.randn(64, 10)
    for fn in (F.nll_loss, F.cross_entropy):
        with pytest.raises(ValueError, match=r"\(64\).*\(32\)"):
            fn(x, torch.zeros(32, dtype=torch.int64))
    with pytest.raises(ValueError, match=r"\(64, 1\)"):
        F.binary_cross_entropy(torch.rand(64, 1), torch.rand(64))
    with pytest.raises(ValueError, match=r"\(64,\)"):
        F.binary_cross_entropy_with_logits(torch.rand(64, 1), torch.rand(64))


def test_other_errors():
    x = torch.randn(4, 3)
    y = torch.tensor([0, 1, 2, 1])
    for bad in ("media", "avg"):
        with pytest.raises(ValueError, match="reduction"):
            F.nll_loss(x, y, reduction=bad)
        with pytest.raises(ValueError, match="reduction"):
            nn.MSELoss(reduction=bad)
    with pytest.raises(RuntimeError, match="multi|one-hot"):
        F.nll_loss(x, torch.zeros(4, 3, dtype=torch.int64))
    with pytest.raises(RuntimeError, match="weight"):
        F.nll_loss(x, y, weight=torch.ones(5))
    with pytest.raises(RuntimeError, match="label_smoothing"):
        F.cross_entropy(x, y, label_smoothing=1.5)
    with pytest.raises(RuntimeError, match="entre 0 y 1.*sigmoid"):
        F.binary_cross_entropy(x, torch.rand(4, 3))
    with pytest.raises(RuntimeError, match="objetivo"):
        F.binary_cross_entropy(torch.rand(4, 3), torch.full((4, 3), 2.0))
    with pytest.raises(RuntimeError, match="target.float"):
        F.binary_cross_entropy(torch.rand(3), torch.rand(3, dtype=torch.float64))
    with pytest.raises(ValueError, match="misma forma"):
        F.mse_loss(x, x, weight=torch.ones(3))


def test_legacy_size_average_and_reduce():
    x = torch.randn(5, 3)
    y = torch.randn(5, 3)
    with pytest.warns(UserWarning, match="obsoletos"):
        total = F.mse_loss(x, y, size_average=False)
    assert total.item() == pytest.approx(F.mse_loss(x, y, reduction="sum").item(), rel=1e-6)
    with pytest.warns(UserWarning):
        assert nn.L1Loss(reduce=False).reduction == "none"
