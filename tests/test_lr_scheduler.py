"""Planificadores de la tasa de aprendizaje: fórmulas cerradas y secuencias de PyTorch."""
import math
import warnings

import pytest

import tinygrad_es as tg
import tinygrad_es.optim as optim
from tinygrad_es.optim import lr_scheduler
from tinygrad_es.serialization import load, save


def _opt(lib=tg, module=optim, lrs=(0.1, 0.02)):
    a = lib.zeros(2, requires_grad=True)
    b = lib.zeros(3, requires_grad=True)
    return module.SGD([{"params": [a]}, {"params": [b], "lr": lrs[1]}], lr=lrs[0])


def _sequence(opt, sched, epochs=12, metrics=None):
    seq = [sched.get_last_lr()]
    for epoch in range(epochs):
        opt.step()
        if metrics is None:
            sched.step()
        else:
            sched.step(metrics[epoch])
        seq.append(sched.get_last_lr())
        assert seq[-1] == [g["lr"] for g in opt.param_groups]
    return seq


def test_steplr_formula_cerrada():
    opt = _opt()
    seq = _sequence(opt, lr_scheduler.StepLR(opt, step_size=3, gamma=0.5))
    for epoch, lrs in enumerate(seq):
        assert lrs == pytest.approx([0.1 * 0.5 ** (epoch // 3), 0.02 * 0.5 ** (epoch // 3)])
    assert opt.param_groups[0]["initial_lr"] == 0.1


def test_multisteplr_y_exponentiallr_y_lambdalr_formulas():
    opt = _opt()
    seq = _sequence(opt, lr_scheduler.MultiStepLR(opt, milestones=[2, 5, 5], gamma=0.1))
    expected = [0.1 * 0.1 ** (2 * (e >= 5) + (e >= 2)) for e in range(13)]
    assert [s[0] for s in seq] == pytest.approx(expected)
    opt = _opt()
    seq = _sequence(opt, lr_scheduler.ExponentialLR(opt, gamma=0.9))
    assert [s[1] for s in seq] == pytest.approx([0.02 * 0.9 ** e for e in range(13)])
    opt = _opt()
    seq = _sequence(opt, lr_scheduler.LambdaLR(opt, [lambda e: 1 / (e + 1), lambda e: 0.5]))
    assert [s[0] for s in seq] == pytest.approx([0.1 / (e + 1) for e in range(13)])
    assert [s[1] for s in seq] == pytest.approx([0.01] * 13)


def test_reducelronplateau_reduce_tras_la_paciencia():
    opt = _opt()
    sched = lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=2, min_lr=0.03)
    seq = _sequence(opt, sched, 8, [1.0, 0.9, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95])
    assert [s[0] for s in seq] == pytest.approx([0.1] * 5 + [0.05] * 3 + [0.03])
    assert [s[1] for s in seq] == pytest.approx([0.02] * 9)      # ya está por debajo de min_lr


@pytest.mark.parametrize("make, match", [
    (lambda o: lr_scheduler.ReduceLROnPlateau(o, factor=1.0), "factor"),
    (lambda o: lr_scheduler.ReduceLROnPlateau(o, mode="mínimo"), "mode"),
    (lambda o: lr_scheduler.ReduceLROnPlateau(o, threshold_mode="relativo"), "threshold_mode"),
    (lambda o: lr_scheduler.ReduceLROnPlateau(o, min_lr=[0.1]), "min_lr"),
    (lambda o: lr_scheduler.LambdaLR(o, [lambda e: 1.0]), "lr_lambda"),
])
def test_errores_en_espanol(make, match):
    with pytest.raises(ValueError, match=match):
        make(_opt())


def test_no_es_un_optimizador():
    with pytest.raises(TypeError, match="optimizador"):
        lr_scheduler.StepLR(object(), step_size=2)


def test_aviso_si_el_orden_es_incorrecto():
    opt = _opt()
    sched = lr_scheduler.StepLR(opt, step_size=2)
    with pytest.warns(UserWarning, match="optimizer.step"):
        sched.step()
    opt = _opt()
    sched = lr_scheduler.StepLR(opt, step_size=2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        opt.step()
        sched.step()


def test_state_dict_guardar_y_reanudar(tmp_path):
    opt = _opt()
    sched = lr_scheduler.MultiStepLR(opt, milestones=[3, 6], gamma=0.5)
    _sequence(opt, sched, 4)
    save({"optim": opt.state_dict(), "sched": sched.state_dict()}, tmp_path / "s.pt")
    data = load(tmp_path / "s.pt")
    opt2 = _opt()
    sched2 = lr_scheduler.MultiStepLR(opt2, milestones=[1], gamma=0.9)
    opt2.load_state_dict(data["optim"])
    sched2.load_state_dict(data["sched"])
    assert sched2.milestones == sched.milestones and sched2.last_epoch == 4
    assert _sequence(opt2, sched2, 5) == _sequence(opt, sched, 5)

    plateau = lr_scheduler.ReduceLROnPlateau(_opt(), mode="max", patience=1)
    plateau.step(3.0)
    save(plateau.state_dict(), tmp_path / "p.pt")
    other = lr_scheduler.ReduceLROnPlateau(_opt())
    other.load_state_dict(load(tmp_path / "p.pt"))
    assert other.mode == "max" and other.best == 3.0 and other.mode_worse == -math.inf


TORCH_CASES = [
    ("StepLR", {"step_size": 3, "gamma": 0.5}),
    ("StepLR", {"step_size": 1, "gamma": 0.9}),
    ("MultiStepLR", {"milestones": [2, 5, 5, 9], "gamma": 0.3}),
    ("ExponentialLR", {"gamma": 0.95}),
]


@pytest.mark.parametrize("name, kwargs", TORCH_CASES)
def test_secuencias_como_pytorch(requiere_torch, name, kwargs):
    torch = requiere_torch
    opt, topt = _opt(), _opt(torch, torch.optim)
    ours = _sequence(opt, getattr(lr_scheduler, name)(opt, **kwargs), 15)
    theirs = _sequence(topt, getattr(torch.optim.lr_scheduler, name)(topt, **kwargs), 15)
    assert ours == theirs


def test_lambdalr_como_pytorch(requiere_torch):
    torch = requiere_torch
    fn = lambda e: 0.95 ** e if e < 5 else 0.5   # noqa: E731
    opt, topt = _opt(), _opt(torch, torch.optim)
    ours = _sequence(opt, lr_scheduler.LambdaLR(opt, fn), 10)
    theirs = _sequence(topt, torch.optim.lr_scheduler.LambdaLR(topt, fn), 10)
    assert ours == theirs


METRICS = [1.0, 0.8, 0.8, 0.79995, 0.81, 0.9, 0.7, 0.7, 0.71, 0.72, 0.73, 0.74, 0.6, 0.61,
           0.62, 0.63, 0.64, 0.65, 0.66, 0.67]
PLATEAU_CASES = [
    {},
    {"patience": 1, "factor": 0.5},
    {"patience": 0, "cooldown": 2, "factor": 0.5},
    {"patience": 1, "threshold": 0.05, "threshold_mode": "abs", "min_lr": [0.01, 0.015]},
    {"mode": "max", "patience": 2, "factor": 0.2},
    {"mode": "max", "patience": 0, "threshold_mode": "abs", "threshold": 0.0, "min_lr": 0.004},
    {"patience": 0, "factor": 0.9, "eps": 0.005},
]


@pytest.mark.parametrize("kwargs", PLATEAU_CASES)
def test_reducelronplateau_como_pytorch(requiere_torch, kwargs):
    torch = requiere_torch
    opt, topt = _opt(), _opt(torch, torch.optim)
    ours_s = lr_scheduler.ReduceLROnPlateau(opt, **kwargs)
    theirs_s = torch.optim.lr_scheduler.ReduceLROnPlateau(topt, **kwargs)
    ours = _sequence(opt, ours_s, len(METRICS), METRICS)
    theirs = _sequence(topt, theirs_s, len(METRICS), [torch.tensor(m) for m in METRICS])
    assert ours == theirs
    for key in ("best", "num_bad_epochs", "cooldown_counter", "last_epoch"):
        assert getattr(ours_s, key) == pytest.approx(getattr(theirs_s, key), rel=1e-6), key


def test_state_dict_con_las_mismas_claves_que_pytorch(requiere_torch):
    torch = requiere_torch
    ours = lr_scheduler.StepLR(_opt(), step_size=2).state_dict()
    theirs = torch.optim.lr_scheduler.StepLR(_opt(torch, torch.optim), step_size=2).state_dict()
    assert ours == theirs
