"""Planificadores de la tasa de aprendizaje contra PyTorch: la misma lr (y el mismo momento) en
cada paso, el mismo ``state_dict`` y los mismos errores."""
import importlib
import math
import pickle
import warnings

import pytest

import tinygrad_es as tg
from tinygrad_es.optim import lr_scheduler


def _opt(m, kind="sgd"):
    a = m.zeros(2, requires_grad=True)
    b = m.zeros(3, requires_grad=True)
    groups = [{"params": [a]}, {"params": [b], "lr": 0.02}]
    if kind == "sgd":
        return m.optim.SGD(groups, lr=0.1, momentum=0.9)
    if kind == "adam":
        return m.optim.Adam(groups, lr=0.1, betas=(0.9, 0.99))
    if kind == "rmsprop":
        return m.optim.RMSprop(groups, lr=0.1, momentum=0.5)
    if kind == "adagrad":
        return m.optim.Adagrad(groups, lr=0.1)
    raise ValueError(kind)


def _trayectoria(m, crear, pasos, kind="sgd"):
    opt = _opt(m, kind)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sched = crear(m.optim.lr_scheduler, opt)
        seq = [_foto(sched, opt)]
        for _ in range(pasos):
            opt.step()
            sched.step()
            seq.append(_foto(sched, opt))
    return seq, sched, opt


def _planos(x):
    if isinstance(x, (list, tuple)):
        return [v for item in x for v in _planos(item)]
    return [x]


def _cerca(a, b, rel=1e-13):
    """Mismos números (hasta el último bit salvo redondeo) en dos estructuras anidadas."""
    a, b = _planos(a), _planos(b)
    assert len(a) == len(b), (a, b)
    for x, y in zip(a, b):
        if x is None or y is None or isinstance(x, str):
            assert x == y, (a, b)
        else:
            assert math.isclose(x, y, rel_tol=rel, abs_tol=1e-16), (a, b)


def _foto(sched, opt):
    groups = opt.param_groups
    return (list(sched.get_last_lr()), [g["lr"] for g in groups],
            [g.get("momentum") for g in groups], [g.get("betas") for g in groups])


CASOS = [
    ("multiplicative", lambda s, o: s.MultiplicativeLR(o, lambda e: 0.95), 12, "sgd"),
    ("multiplicative_lista", lambda s, o: s.MultiplicativeLR(
        o, [lambda e: 0.9, lambda e: 1.0 - 0.01 * e]), 12, "sgd"),
    ("constant", lambda s, o: s.ConstantLR(o), 10, "sgd"),
    ("constant_factor", lambda s, o: s.ConstantLR(o, factor=0.5, total_iters=3), 8, "sgd"),
    ("constant_cero_iters", lambda s, o: s.ConstantLR(o, factor=0.5, total_iters=0), 4, "sgd"),
    ("linear", lambda s, o: s.LinearLR(o), 10, "sgd"),
    ("linear_bajada", lambda s, o: s.LinearLR(o, start_factor=1.0, end_factor=0.1,
                                             total_iters=7), 12, "sgd"),
    ("linear_calentamiento", lambda s, o: s.LinearLR(o, start_factor=0.1, total_iters=4), 8,
     "adam"),
    ("polynomial", lambda s, o: s.PolynomialLR(o), 8, "sgd"),
    ("polynomial_power", lambda s, o: s.PolynomialLR(o, total_iters=6, power=2.0), 9, "sgd"),
    ("polynomial_raiz", lambda s, o: s.PolynomialLR(o, total_iters=4, power=0.5), 6, "sgd"),
    ("cosine", lambda s, o: s.CosineAnnealingLR(o, T_max=10), 35, "sgd"),
    ("cosine_eta_min", lambda s, o: s.CosineAnnealingLR(o, T_max=4, eta_min=0.001), 20,
     "sgd"),
    ("cosine_t1", lambda s, o: s.CosineAnnealingLR(o, T_max=1), 6, "sgd"),
    ("warm_restarts", lambda s, o: s.CosineAnnealingWarmRestarts(o, T_0=3), 20, "sgd"),
    ("warm_restarts_mult", lambda s, o: s.CosineAnnealingWarmRestarts(
        o, T_0=2, T_mult=2, eta_min=0.005), 30, "sgd"),
    ("cyclic_triangular", lambda s, o: s.CyclicLR(o, 0.01, 0.1, step_size_up=4), 25, "sgd"),
    ("cyclic_asimetrico", lambda s, o: s.CyclicLR(o, [0.01, 0.002], [0.1, 0.05],
                                                  step_size_up=3, step_size_down=5), 25, "sgd"),
    ("cyclic_triangular2", lambda s, o: s.CyclicLR(o, 0.01, 0.1, step_size_up=2,
                                                   mode="triangular2"), 25, "sgd"),
    ("cyclic_exp_range", lambda s, o: s.CyclicLR(o, 0.01, 0.1, step_size_up=3,
                                                 mode="exp_range", gamma=0.9), 25, "sgd"),
    ("cyclic_scale_fn", lambda s, o: s.CyclicLR(o, 0.01, 0.1, step_size_up=3,
                                                scale_fn=lambda x: 0.5 ** x), 20, "sgd"),
    ("cyclic_scale_fn_iter", lambda s, o: s.CyclicLR(
        o, 0.01, 0.1, step_size_up=3, scale_fn=lambda x: 1 / (1 + x),
        scale_mode="iterations"), 20, "sgd"),
    ("cyclic_adam_betas", lambda s, o: s.CyclicLR(o, 0.001, 0.01, step_size_up=3,
                                                  base_momentum=0.8, max_momentum=0.95), 15,
     "adam"),
    ("cyclic_sin_momento", lambda s, o: s.CyclicLR(o, 0.01, 0.1, step_size_up=3,
                                                   cycle_momentum=False), 12, "adagrad"),
    ("cyclic_rmsprop", lambda s, o: s.CyclicLR(o, 0.01, 0.1, step_size_up=2), 10, "rmsprop"),
    ("onecycle", lambda s, o: s.OneCycleLR(o, max_lr=0.1, total_steps=20), 20, "sgd"),
    ("onecycle_lista", lambda s, o: s.OneCycleLR(o, max_lr=[0.1, 0.05], epochs=3,
                                                 steps_per_epoch=7), 21, "sgd"),
    ("onecycle_linear", lambda s, o: s.OneCycleLR(o, max_lr=0.1, total_steps=15,
                                                  anneal_strategy="linear"), 15, "sgd"),
    ("onecycle_tres_fases", lambda s, o: s.OneCycleLR(o, max_lr=0.1, total_steps=20,
                                                      three_phase=True), 20, "sgd"),
    ("onecycle_adam", lambda s, o: s.OneCycleLR(o, max_lr=0.01, total_steps=12,
                                                pct_start=0.25, div_factor=10.0,
                                                final_div_factor=100.0), 12, "adam"),
    ("onecycle_sin_momento", lambda s, o: s.OneCycleLR(o, max_lr=0.1, total_steps=10,
                                                       cycle_momentum=False), 10, "adagrad"),
    ("sequential", lambda s, o: s.SequentialLR(
        o, [s.LinearLR(o, start_factor=0.1, total_iters=3), s.CosineAnnealingLR(o, T_max=8)],
        milestones=[3]), 15, "sgd"),
    ("sequential_tres", lambda s, o: s.SequentialLR(
        o, [s.ConstantLR(o, factor=0.5, total_iters=2), s.ExponentialLR(o, gamma=0.9),
            s.StepLR(o, step_size=2, gamma=0.5)], milestones=[2, 6]), 14, "sgd"),
    ("chained", lambda s, o: s.ChainedScheduler(
        [s.ConstantLR(o, factor=0.5, total_iters=3), s.ExponentialLR(o, gamma=0.9)]), 10,
     "sgd"),
    ("chained_optimizer", lambda s, o: s.ChainedScheduler(
        [s.LinearLR(o, start_factor=0.2, total_iters=4), s.StepLR(o, 3, 0.5)], optimizer=o),
     10, "sgd"),
]


@pytest.mark.parametrize("nombre,crear,pasos,kind", CASOS, ids=[c[0] for c in CASOS])
def test_misma_secuencia_que_pytorch(requiere_torch, nombre, crear, pasos, kind):
    torch = requiere_torch
    nuestra, sched, _ = _trayectoria(tg, crear, pasos, kind)
    suya, sched_t, _ = _trayectoria(torch, crear, pasos, kind)
    assert len(nuestra) == len(suya)
    for i, (a, b) in enumerate(zip(nuestra, suya)):
        _cerca(a, b)
    assert sorted(sched.state_dict()) == sorted(sched_t.state_dict())


def test_cosine_formula_cerrada_al_final(requiere_torch):
    seq, _, _ = _trayectoria(tg, lambda s, o: s.CosineAnnealingLR(o, T_max=10, eta_min=0.01),
                             10)
    esperado = 0.01 + (0.1 - 0.01) * (1 + math.cos(math.pi * 10 / 10)) / 2
    assert seq[-1][0][0] == pytest.approx(esperado, rel=1e-12)


EPOCAS = [
    ("constant", lambda s, o: s.ConstantLR(o, factor=0.5, total_iters=3)),
    ("linear", lambda s, o: s.LinearLR(o, start_factor=0.2, total_iters=4)),
    ("polynomial", lambda s, o: s.PolynomialLR(o, total_iters=5, power=2.0)),
    ("cosine", lambda s, o: s.CosineAnnealingLR(o, T_max=6, eta_min=0.001)),
    ("multiplicative", lambda s, o: s.MultiplicativeLR(o, lambda e: 0.9)),
    ("cyclic", lambda s, o: s.CyclicLR(o, 0.01, 0.1, step_size_up=3)),
    ("warm_restarts", lambda s, o: s.CosineAnnealingWarmRestarts(o, T_0=3, T_mult=2)),
]


@pytest.mark.parametrize("nombre,crear", EPOCAS, ids=[c[0] for c in EPOCAS])
def test_step_con_epoca_como_pytorch(requiere_torch, nombre, crear):
    torch = requiere_torch
    res = {}
    for m in (tg, torch):
        opt = _opt(m)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            sched = crear(m.optim.lr_scheduler, opt)
            vistos = []
            for epoca in (2, 5, 1, 7, 4):
                opt.step()
                sched.step(epoca)
                vistos.append(list(sched.get_last_lr()))
        res[m] = vistos
    _cerca(res[tg], res[torch])


def test_warm_restarts_epocas_fraccionarias(requiere_torch):
    torch = requiere_torch
    res = {}
    for m in (tg, torch):
        opt = _opt(m)
        sched = m.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=2, T_mult=2)
        vistos = []
        for epoca in range(6):
            for i in range(4):
                opt.step()
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    sched.step(epoca + i / 4)
                vistos.append(list(sched.get_last_lr()) + [sched.T_cur, sched.T_i])
        res[m] = vistos
    _cerca(res[tg], res[torch])


REANUDAR = [
    ("cosine", lambda s, o: s.CosineAnnealingLR(o, T_max=7)),
    ("cyclic", lambda s, o: s.CyclicLR(o, 0.01, 0.1, step_size_up=3, mode="triangular2")),
    ("onecycle", lambda s, o: s.OneCycleLR(o, max_lr=0.1, total_steps=20)),
    ("warm_restarts", lambda s, o: s.CosineAnnealingWarmRestarts(o, T_0=3, T_mult=2)),
    ("sequential", lambda s, o: s.SequentialLR(
        o, [s.LinearLR(o, 0.1, total_iters=3), s.CosineAnnealingLR(o, T_max=8)], [3])),
    ("chained", lambda s, o: s.ChainedScheduler(
        [s.ConstantLR(o, 0.5, 3), s.ExponentialLR(o, 0.9)])),
]


@pytest.mark.parametrize("nombre,crear", REANUDAR, ids=[c[0] for c in REANUDAR])
def test_reanudar_con_state_dict(nombre, crear):
    """Guardar a mitad, cargar en un planificador nuevo y seguir da la misma secuencia."""
    seq_entera, _, _ = _trayectoria(tg, crear, 14)
    opt = _opt(tg)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sched = crear(tg.optim.lr_scheduler, opt)
        for _ in range(6):
            opt.step()
            sched.step()
        estado_s = pickle.loads(pickle.dumps(sched.state_dict()))
        estado_o = opt.state_dict()
        opt2 = _opt(tg)
        sched2 = crear(tg.optim.lr_scheduler, opt2)
        opt2.load_state_dict(estado_o)
        sched2.load_state_dict(estado_s)
        seq = [_foto(sched2, opt2)]
        for _ in range(8):
            opt2.step()
            sched2.step()
            seq.append(_foto(sched2, opt2))
    _cerca(seq, seq_entera[6:])


def test_state_dict_de_cyclic_como_pytorch(requiere_torch):
    torch = requiere_torch
    ours = lr_scheduler.CyclicLR(_opt(tg), 0.01, 0.1, scale_fn=lambda x: 1.0).state_dict()
    theirs = torch.optim.lr_scheduler.CyclicLR(_opt(torch), 0.01, 0.1,
                                               scale_fn=lambda x: 1.0).state_dict()
    assert sorted(ours) == sorted(theirs)
    assert ours["_scale_fn_custom"] is None and theirs["_scale_fn_custom"] is None
    for key in ("max_lrs", "base_lrs", "total_size", "step_ratio", "base_momentums",
                "max_momentums", "use_beta1", "scale_mode", "last_epoch", "_last_lr"):
        assert ours[key] == theirs[key], key


def test_get_lr_fuera_de_step_avisa():
    opt = _opt(tg)
    sched = lr_scheduler.CosineAnnealingLR(opt, T_max=5)
    with pytest.warns(UserWarning, match="get_last_lr"):
        sched.get_lr()


def test_orden_de_step_avisa():
    opt = _opt(tg)
    sched = lr_scheduler.LinearLR(opt)
    with pytest.warns(UserWarning, match="optimizer.step"):
        sched.step()


ERRORES = [
    ("constant_factor", lambda s, o: s.ConstantLR(o, factor=1.5), ValueError),
    ("linear_start", lambda s, o: s.LinearLR(o, start_factor=0), ValueError),
    ("linear_end", lambda s, o: s.LinearLR(o, end_factor=1.5), ValueError),
    ("multiplicative_lista", lambda s, o: s.MultiplicativeLR(o, [lambda e: 1.0]), ValueError),
    ("multiplicative_no_funcion", lambda s, o: s.MultiplicativeLR(o, 0.9), TypeError),
    ("warm_t0", lambda s, o: s.CosineAnnealingWarmRestarts(o, T_0=0), ValueError),
    ("warm_tmult", lambda s, o: s.CosineAnnealingWarmRestarts(o, T_0=2, T_mult=1.5),
     ValueError),
    ("cyclic_mode", lambda s, o: s.CyclicLR(o, 0.01, 0.1, mode="seno"), ValueError),
    ("cyclic_lista", lambda s, o: s.CyclicLR(o, [0.01], 0.1), ValueError),
    ("cyclic_sin_momento", lambda s, o: s.CyclicLR(_adagrad_como(o), 0.01, 0.1), ValueError),
    ("onecycle_sin_pasos", lambda s, o: s.OneCycleLR(o, max_lr=0.1), ValueError),
    ("onecycle_pasos", lambda s, o: s.OneCycleLR(o, max_lr=0.1, total_steps=0), ValueError),
    ("onecycle_pct", lambda s, o: s.OneCycleLR(o, 0.1, total_steps=5, pct_start=1.5),
     ValueError),
    ("onecycle_anneal", lambda s, o: s.OneCycleLR(o, 0.1, total_steps=5,
                                                  anneal_strategy="cuadratico"), ValueError),
    ("sequential_vacio", lambda s, o: s.SequentialLR(o, [], []), ValueError),
    ("sequential_milestones", lambda s, o: s.SequentialLR(
        o, [s.ConstantLR(o), s.ExponentialLR(o, 0.9)], [1, 2]), ValueError),
    ("sequential_plateau", lambda s, o: s.SequentialLR(
        o, [s.ConstantLR(o), s.ReduceLROnPlateau(o)], [2]), ValueError),
    ("chained_vacio", lambda s, o: s.ChainedScheduler([]), ValueError),
    ("chained_plateau", lambda s, o: s.ChainedScheduler([s.ReduceLROnPlateau(o)]),
     ValueError),
]


def _adagrad_como(o):
    """Un optimizador sin momento ni betas (Adagrad), del mismo paquete que ``o``."""
    return _opt(importlib.import_module(type(o).__module__.split(".")[0]), "adagrad")


@pytest.mark.parametrize("nombre,crear,error", ERRORES, ids=[e[0] for e in ERRORES])
def test_errores_como_pytorch(requiere_torch, nombre, crear, error):
    torch = requiere_torch
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(error):
            crear(torch.optim.lr_scheduler, _opt(torch))
        with pytest.raises(error) as info:
            crear(tg.optim.lr_scheduler, _opt(tg))
    assert not any(w in str(info.value) for w in ("must", "expected", "Expected")), info.value


def test_onecycle_demasiados_pasos():
    opt = _opt(tg)
    sched = lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=3)
    for _ in range(3):
        opt.step()
        sched.step()
    opt.step()
    with pytest.raises(ValueError, match="total_steps=3"):
        sched.step()


@pytest.mark.parametrize("crear", [
    lambda s, o: s.StepLR(o, 2), lambda s, o: s.MultiStepLR(o, [2]),
    lambda s, o: s.ExponentialLR(o, 0.9), lambda s, o: s.LambdaLR(o, lambda e: 1.0),
    lambda s, o: s.PolynomialLR(o), lambda s, o: s.OneCycleLR(o, 0.1, total_steps=5)])
def test_get_lr_avisa_como_pytorch(requiere_torch, crear):
    torch = requiere_torch
    for m in (tg, torch):
        sched = crear(m.optim.lr_scheduler, _opt(m))
        with pytest.warns(UserWarning, match="get_last_lr"):
            sched.get_lr()
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            sched.get_last_lr()
