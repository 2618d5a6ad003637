"""Operaciones in situ con las reglas de PyTorch: hojas, no_grad, grafo y contador de versión."""
import numpy as np
import pytest

import tinygrad_es as tg

INSITU = [
    ("add_", lambda t: t.add_(1.0)),
    ("sub_", lambda t: t.sub_(1.0)),
    ("mul_", lambda t: t.mul_(2.0)),
    ("div_", lambda t: t.div_(2.0)),
    ("zero_", lambda t: t.zero_()),
    ("fill_", lambda t: t.fill_(3.0)),
    ("copy_", lambda t: t.copy_(tg.tensor([7.0, 8.0]))),
    ("clamp_", lambda t: t.clamp_(0.0, 0.5)),
]


def _iadd(t):
    t += 1.0


def _isub(t):
    t -= 1.0


def _imul(t):
    t *= 2.0


def _idiv(t):
    t /= 2.0


OPERADORES = [("+=", _iadd), ("-=", _isub), ("*=", _imul), ("/=", _idiv)]
TODAS = INSITU + OPERADORES


@pytest.mark.parametrize("nombre,op", TODAS, ids=[t[0] for t in TODAS])
def test_in_situ_sobre_una_hoja_con_grad_da_error_en_espanol(nombre, op):
    w = tg.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError) as info:
        op(w)
    mensaje = str(info.value)
    assert "hoja" in mensaje and "no_grad" in mensaje
    assert w.tolist() == [1.0, 2.0] and w.is_leaf   # sin modificar


@pytest.mark.parametrize("nombre,op", TODAS, ids=[t[0] for t in TODAS])
def test_in_situ_sobre_una_hoja_funciona_bajo_no_grad(nombre, op):
    w = tg.tensor([1.0, 2.0], requires_grad=True)
    esperado = tg.tensor([1.0, 2.0])
    op(esperado)
    with tg.no_grad():
        op(w)
    assert w.tolist() == esperado.tolist()
    assert w.requires_grad and w.is_leaf and w.grad_fn is None


@pytest.mark.parametrize("nombre,op", TODAS, ids=[t[0] for t in TODAS])
def test_in_situ_igual_que_torch_en_tensores_sin_grad(requiere_torch, nombre, op):
    torch = requiere_torch
    valores = [0.25, 2.0]
    ours = tg.tensor(valores)
    theirs = torch.tensor(valores)
    copia = torch.tensor([7.0, 8.0])
    if nombre == "copy_":
        theirs.copy_(copia)
    else:
        op(theirs)
    op(ours)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy())


def test_los_metodos_in_situ_devuelven_el_mismo_tensor():
    t = tg.ones(2)
    for r in (t.add_(1), t.sub_(1), t.mul_(2), t.div_(2), t.zero_(), t.fill_(1),
              t.copy_(tg.ones(2)), t.clamp_(0, 1)):
        assert r is t
    x = tg.ones(2, requires_grad=True)
    y = x * 2
    assert y.add_(1) is y and y.mul_(3) is y


def test_descenso_de_gradiente_manual_igual_que_torch(requiere_torch):
    torch = requiere_torch
    datos_x = np.linspace(-1, 1, 8).reshape(8, 1)
    datos_y = 3 * datos_x - 0.5
    resultados = []
    for m in (tg, torch):
        x, y = m.tensor(datos_x), m.tensor(datos_y)
        w = m.zeros(1, 1, dtype=m.float64, requires_grad=True)
        b = m.zeros(1, dtype=m.float64, requires_grad=True)
        lr = 0.1
        for _ in range(20):
            perdida = ((x @ w + b - y) ** 2).mean()
            perdida.backward()
            with m.no_grad():
                w -= lr * w.grad
                b -= lr * b.grad
                w.grad.zero_()
                b.grad.zero_()
        resultados.append((w.detach().numpy().copy(), b.detach().numpy().copy(), perdida.item()))
    for ours, theirs in zip(resultados[0], resultados[1]):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12)


def test_gradiente_es_un_tensor_sin_grad_que_se_puede_modificar():
    w = tg.ones(3, requires_grad=True)
    (w * 2).sum().backward()
    w.grad.zero_()
    assert w.grad.tolist() == [0.0, 0.0, 0.0]
    w.grad += 1
    w.grad.mul_(3)
    assert w.grad.tolist() == [3.0, 3.0, 3.0]


# --- en el grafo: tensores intermedios ------------------------------------------------------
# (nombre, f(m, x, w) que modifica in situ un intermedio y devuelve el resultado escalar)
EN_EL_GRAFO = [
    ("add_escalar", lambda m, x, w: (x * 2).add_(1).sum()),
    ("add_tensor_con_grad", lambda m, x, w: (x * 2).add_(w).pow(2).sum()),
    ("add_alpha", lambda m, x, w: (x * 1).add_(w, alpha=3).pow(2).sum()),
    ("sub_alpha", lambda m, x, w: (x * 1).sub_(w, alpha=2).pow(2).sum()),
    ("mul_escalar", lambda m, x, w: (x ** 2).mul_(3).sum()),
    ("mul_tensor_con_grad", lambda m, x, w: (x * 1).mul_(w).pow(2).sum()),
    ("div_tensor_con_grad", lambda m, x, w: (x * 1).div_(w).pow(2).sum()),
    ("iadd_iadd", lambda m, x, w: _encadenar(x, w)),
    ("zero_", lambda m, x, w: ((x * 2).zero_() + x * w).sum()),
    ("fill_", lambda m, x, w: ((x * 2).fill_(3.0) * x).sum()),
    ("copy_desde_grad", lambda m, x, w: (m.zeros(3, dtype=m.float64).copy_(x * w) ** 2).sum()),
    ("copy_sobre_intermedio", lambda m, x, w: ((x * 2).copy_(w) * x).sum()),
    ("clamp_", lambda m, x, w: ((x * 3).clamp_(-1.0, 2.0) * w).sum()),
    ("tras_relu", lambda m, x, w: (x.relu() * 1).mul_(2).sum()),
]


def _encadenar(x, w):
    y = x * w
    y += x
    y *= 2
    y -= w
    y /= 4
    return (y * y).sum()


@pytest.mark.parametrize("nombre,f", EN_EL_GRAFO, ids=[t[0] for t in EN_EL_GRAFO])
def test_in_situ_en_el_grafo_da_los_gradientes_de_torch(requiere_torch, nombre, f):
    torch = requiere_torch
    vx, vw = np.array([0.5, -1.5, 2.0]), np.array([1.25, 0.75, -2.0])
    resultados = []
    for m in (tg, torch):
        x = m.tensor(vx, requires_grad=True)
        w = m.tensor(vw, requires_grad=True)
        salida = f(m, x, w)
        salida.backward()
        resultados.append((salida.item(), x.grad.numpy().copy(),
                           None if w.grad is None else w.grad.numpy().copy()))
    (s0, gx0, gw0), (s1, gx1, gw1) = resultados
    np.testing.assert_allclose(s0, s1, rtol=1e-12)
    np.testing.assert_allclose(gx0, gx1, rtol=1e-12, atol=1e-15)
    assert (gw0 is None) == (gw1 is None)
    if gw1 is not None:
        np.testing.assert_allclose(gw0, gw1, rtol=1e-12, atol=1e-15)


def test_in_situ_en_un_intermedio_registra_el_nodo():
    x = tg.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    nodo_anterior = y.grad_fn
    y.add_(1)
    assert y.grad_fn is not nodo_anterior and not y.is_leaf
    assert repr(y) == "tensor([3., 5.], grad_fn=<AddBackward0>)"
    y.sum().backward()
    assert x.grad.tolist() == [2.0, 2.0]


def test_in_situ_sin_grad_con_otro_que_tiene_grad_crea_el_grafo():
    x = tg.tensor([1.0, 2.0], requires_grad=True)
    acumulado = tg.zeros(2)
    acumulado += x * 3
    assert acumulado.requires_grad and acumulado.grad_fn is not None
    acumulado.sum().backward()
    assert x.grad.tolist() == [3.0, 3.0]


# --- contador de versión ---------------------------------------------------------------------
@pytest.mark.parametrize("nombre,crear,modificar,op", [
    ("sigmoid_mul_", lambda x: x.sigmoid(), lambda y: y.mul_(2), "Sigmoid"),
    ("exp_add_", lambda x: x.exp(), lambda y: y.add_(1), "Exp"),
    ("tanh_iadd", lambda x: x.tanh(), _iadd, "Tanh"),
    ("sqrt_div_", lambda x: x.abs().sqrt(), lambda y: y.div_(2), "Sqrt"),
    ("sigmoid_zero_", lambda x: x.sigmoid(), lambda y: y.zero_(), "Sigmoid"),
    ("sigmoid_detach", lambda x: x.sigmoid(), lambda y: y.detach().mul_(2), "Sigmoid"),
])
def test_modificar_lo_que_backward_necesita_da_error_con_el_nombre_de_la_op(nombre, crear,
                                                                             modificar, op):
    x = tg.tensor([1.0, 2.0], requires_grad=True)
    y = crear(x)
    modificar(y)
    with pytest.raises(RuntimeError) as info:
        y.sum().backward()
    mensaje = str(info.value)
    assert op in mensaje and "in situ" in mensaje and "versión" in mensaje


def test_modificar_un_operando_guardado_por_mul_da_error():
    a = tg.tensor([1.0, 2.0], requires_grad=True)
    b = a * 1
    c = b * a          # Mul guarda b
    b.add_(1)
    with pytest.raises(RuntimeError, match="Mul"):
        c.sum().backward()
    constante = tg.ones(2)
    d = a * constante  # Mul guarda la constante para el gradiente de a
    constante.mul_(5)
    with pytest.raises(RuntimeError, match="Mul"):
        d.sum().backward()


def test_el_contador_de_version_igual_que_torch(requiere_torch):
    torch = requiere_torch
    for m in (tg, torch):
        x = m.tensor([1.0, 2.0], requires_grad=True)
        y = x.sigmoid()
        y.mul_(2)
        with pytest.raises(RuntimeError):
            y.sum().backward()
        x = m.tensor([1.0, 2.0], requires_grad=True)
        y = x * 2
        y.add_(1)
        y.sum().backward()   # nada guardado: funciona
        assert x.grad.tolist() == [2.0, 2.0]
        x = m.tensor([1.0, 2.0], requires_grad=True)
        y = x ** 2           # Pow guarda la entrada, no la salida
        y.mul_(2)
        y.sum().backward()
        assert x.grad.tolist() == [4.0, 8.0]


def test_modificar_despues_de_backward_no_da_error():
    x = tg.tensor([1.0, 2.0], requires_grad=True)
    y = x.sigmoid()
    y.sum().backward()
    y.mul_(2)   # el grafo ya se liberó: no queda nada que comprobar
    assert x.grad is not None


# --- tipos y formas ----------------------------------------------------------------------------
@pytest.mark.parametrize("op", [_iadd, _idiv, lambda t: t.mul_(0.5), lambda t: t.add_(tg.ones(2))],
                         ids=["+=0.5", "/=2", "mul_(0.5)", "add_(float)"])
def test_entero_in_situ_con_un_flotante_da_runtimeerror(op):
    t = tg.tensor([1, 2])
    with pytest.raises(RuntimeError) as info:
        op(t)
    assert "int64" in str(info.value) and "float32" in str(info.value)
    assert t.tolist() == [1, 2] and t.dtype == tg.int64


def test_entero_in_situ_con_un_flotante_tambien_falla_en_torch(requiere_torch):
    torch = requiere_torch
    t = torch.tensor([1, 2])
    with pytest.raises(RuntimeError):
        t += 0.5
    with pytest.raises(RuntimeError):
        t /= 2


def test_entero_in_situ_con_enteros_y_flotante_con_enteros():
    t = tg.tensor([1, 2])
    t *= 3
    t += tg.tensor([1, 1])
    assert t.tolist() == [4, 7] and t.dtype == tg.int64
    f = tg.tensor([1.0, 2.0])
    f += tg.tensor([1, 1])
    f.add_(tg.ones(2, dtype=tg.float64))
    assert f.tolist() == [3.0, 4.0] and f.dtype == tg.float32


def test_in_situ_con_difusion_y_forma_incompatible():
    t = tg.ones(2, 3)
    t += tg.tensor([1.0, 2.0, 3.0])
    assert t.tolist() == [[2.0, 3.0, 4.0]] * 2
    pequeno = tg.ones(2, 1)
    with pytest.raises(RuntimeError) as info:
        pequeno += tg.ones(2, 3)
    assert "(2, 3)" in str(info.value) and "(2, 1)" in str(info.value)
    with pytest.raises(RuntimeError, match="forma"):
        tg.ones(2).add_(tg.ones(3))
