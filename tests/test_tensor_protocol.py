"""El protocolo de ``Tensor`` que toca un curso (PYTORCH_SEMANTICS.md, "Tensor protocol")."""
import copy

import numpy as np
import pytest

import tinygrad_es as tg


# --- repr / str -------------------------------------------------------------------------
def test_repr_de_los_ejemplos_de_la_especificacion():
    x = tg.tensor([1.0, 2.0], requires_grad=True)
    assert repr(x) == "tensor([1., 2.], requires_grad=True)"
    assert repr(x * 2) == "tensor([2., 4.], grad_fn=<MulBackward0>)"
    assert repr(tg.tensor(3.5)) == "tensor(3.5000)"
    assert repr(tg.tensor([0.0, 0.0], dtype=tg.float64)) == \
        "tensor([0., 0.], dtype=tinygrad_es.float64)"
    assert str(x) == repr(x)
    assert repr(tg.tensor([1, 2])) == "tensor([1, 2])"
    assert repr(tg.tensor([True, False])) == "tensor([ True, False])"
    assert repr(tg.zeros(0, 3)) == "tensor([], size=(0, 3))"


# (nombre, función que crea el tensor con el módulo m)
TENSORES = [
    ("enteros", lambda m: m.tensor([1, 2, 3])),
    ("enteros_negativos", lambda m: m.tensor([-1, 10, -100])),
    ("flotantes_enteros", lambda m: m.tensor([1.0, 2.0])),
    ("cuatro_decimales", lambda m: m.tensor([1.5, 2.25, -0.125])),
    ("anchos_distintos", lambda m: m.tensor([0.1, 123.456])),
    ("cientifica_pequenos", lambda m: m.tensor([1e-5, 1.0])),
    ("cientifica_grandes", lambda m: m.tensor([1e10, 1.0])),
    ("cientifica_rango", lambda m: m.tensor([1.0, 1001.0])),
    ("sin_cientifica_rango", lambda m: m.tensor([1.0, 999.0])),
    ("escalar", lambda m: m.tensor(3.5)),
    ("escalar_entero", lambda m: m.tensor(7)),
    ("escalar_bool", lambda m: m.tensor(True)),
    ("ceros", lambda m: m.zeros(3)),
    ("cero_negativo", lambda m: m.tensor([0.0, -0.0])),
    ("nan_inf", lambda m: m.tensor([float("inf"), -float("inf"), 1.0, float("nan")])),
    ("nan_y_decimales", lambda m: m.tensor([0.5, float("nan")])),
    ("matriz", lambda m: m.tensor([[1.5, -2.0], [3.0, 4.0]])),
    ("matriz_enteros", lambda m: m.arange(6).reshape(2, 3)),
    ("tres_dims", lambda m: m.arange(24.0).reshape(2, 3, 4) / 3),
    ("bools", lambda m: m.tensor([True, False])),
    ("bools_2d", lambda m: m.arange(6).reshape(2, 3) > 2),
    ("vacio", lambda m: m.tensor([])),
    ("vacio_2d", lambda m: m.zeros(2, 0)),
    ("vacio_int", lambda m: m.tensor([], dtype=m.int64)),
    ("vacio_f64", lambda m: m.zeros(0, dtype=m.float64)),
    ("float64", lambda m: m.arange(3, dtype=m.float64) / 3),
    ("int32", lambda m: m.arange(3, dtype=m.int32)),
    ("uint8", lambda m: m.tensor([1, 255], dtype=m.uint8)),
    ("fila_larga", lambda m: m.arange(30.0) / 3),
    ("fila_larga_enteros", lambda m: m.arange(40)),
    ("matriz_ancha", lambda m: m.arange(40.0).reshape(2, 20) / 3),
    ("resumen_1d", lambda m: m.arange(2000.0)),
    ("resumen_1d_enteros", lambda m: m.arange(2000)),
    ("resumen_decimales", lambda m: m.arange(1001.0) / 7),
    ("resumen_2d", lambda m: m.arange(1600.0).reshape(40, 40)),
    ("resumen_3d", lambda m: m.arange(1200).reshape(10, 10, 12)),
    ("resumen_bool", lambda m: m.arange(2000) % 3 == 0),
    ("requires_grad", lambda m: m.ones(2, requires_grad=True)),
    ("grad_fn", lambda m: m.tensor([1.0, 2.0], requires_grad=True) * 2),
    ("grad_fn_div_largo", lambda m: m.arange(12.0).requires_grad_() / 7),
    ("sufijos_en_otra_linea", lambda m: m.arange(9.0, dtype=m.float64).requires_grad_() / 7),
    ("sufijo_add", lambda m: m.ones(2, requires_grad=True) + 1),
    ("sufijo_sum", lambda m: (m.ones(2, requires_grad=True) * 3).sum()),
]


@pytest.mark.parametrize("nombre,crear", TENSORES, ids=[t[0] for t in TENSORES])
def test_str_igual_que_torch(requiere_torch, nombre, crear):
    torch = requiere_torch
    esperado = str(crear(torch)).replace("torch.", "tinygrad_es.")
    assert str(crear(tg)) == esperado
    assert repr(crear(tg)) == esperado


def test_repr_sin_torch_de_un_tensor_resumido():
    texto = repr(tg.arange(2000))
    assert texto == "tensor([   0,    1,    2,  ..., 1997, 1998, 1999])"
    texto_2d = repr(tg.zeros(100, 100))
    lineas = texto_2d.split("\n")
    assert len(lineas) == 7 and lineas[3] == "        ...,"   # 3 filas, "...", 3 filas
    assert lineas[0] == "tensor([[0., 0., 0.,  ..., 0., 0., 0.],"


# --- __format__, item, numpy ----------------------------------------------------------------
def test_format_de_un_tensor_de_un_elemento():
    perdida = tg.tensor(0.123456)
    assert f"{perdida:.4f}" == "0.1235"
    assert f"{perdida}" == "0.12345600128173828"   # como torch: el número en float64
    assert f"{tg.tensor(3)}" == "3" and f"{tg.tensor(2.5):>6}" == "   2.5"
    assert f"{tg.tensor([0.5]):.2f}" == "0.50"
    assert f"{tg.ones(2)}" == "tensor([1., 1.])"
    perdida_con_grad = (tg.ones(3, requires_grad=True) * 0.5).mean()
    assert f"perdida={perdida_con_grad:.3f}" == "perdida=0.500"
    with pytest.raises(TypeError, match="un elemento"):
        f"{tg.ones(2):.2f}"


def test_format_igual_que_torch(requiere_torch):
    torch = requiere_torch
    for crear in (lambda m: m.tensor(0.123456), lambda m: m.tensor(3), lambda m: m.ones(2),
                  lambda m: m.tensor(1e-7)):
        assert f"{crear(tg)}" == f"{crear(torch)}"
        if crear(tg).ndim == 0:
            assert f"{crear(tg):.4f}" == f"{crear(torch):.4f}"
            assert f"{crear(tg):10.2e}" == f"{crear(torch):10.2e}"


def test_item():
    assert tg.tensor(2.5).item() == 2.5 and isinstance(tg.tensor(2.5).item(), float)
    assert tg.tensor([7]).item() == 7 and isinstance(tg.tensor([7]).item(), int)
    assert tg.tensor([[True]]).item() is True
    assert tg.ones(2, requires_grad=True).sum().item() == 2.0
    for n, t in ((2, tg.ones(2)), (6, tg.ones(2, 3)), (0, tg.zeros(0))):
        with pytest.raises(RuntimeError) as info:
            t.item()
        assert f"{n} elementos" in str(info.value)
    with pytest.raises(ValueError):
        float(tg.ones(2))
    assert float(tg.tensor([1.5])) == 1.5 and int(tg.tensor([3.7])) == 3


def test_numpy():
    x = tg.tensor([1.0, 2.0])
    arr = x.numpy()
    assert isinstance(arr, np.ndarray) and arr.dtype == np.float32
    arr[0] = 5.0   # comparte memoria, como en torch
    assert x[0].item() == 5.0
    w = tg.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match=r"\.detach\(\)\.numpy\(\)"):
        w.numpy()
    with pytest.raises(RuntimeError, match=r"\.detach\(\)\.numpy\(\)"):
        (w * 2).numpy()
    np.testing.assert_array_equal(w.detach().numpy(), [1.0, 1.0])
    np.testing.assert_array_equal(np.asarray(x), [5.0, 2.0])


# --- igualdad y hash --------------------------------------------------------------------------
def test_eq_devuelve_tensor_y_hash_por_identidad():
    a, b = tg.tensor([1.0, 2.0]), tg.tensor([1.0, 3.0])
    igual = a == b
    assert isinstance(igual, tg.Tensor) and igual.dtype == tg.bool
    assert igual.tolist() == [True, False]
    assert (a == 1.0).tolist() == [True, False]
    assert (a != b).tolist() == [False, True]
    c = tg.tensor([1.0, 2.0])
    assert hash(a) != hash(c) and hash(a) == hash(a)
    estado = {a: "a", c: "c"}   # como el estado de un optimizador
    assert estado[a] == "a" and estado[c] == "c" and len(estado) == 2
    assert a in {a} and c not in {a}
    assert tg.equal(a, tg.tensor([1.0, 2.0])) and not tg.equal(a, b)


# --- .data --------------------------------------------------------------------------------------
def test_data_es_un_tensor_separado_que_comparte_memoria():
    w = tg.tensor([1.0, 2.0], requires_grad=True)
    d = w.data
    assert isinstance(d, tg.Tensor) and not d.requires_grad and d.grad_fn is None
    d[0] = 10.0
    assert w[0].item() == 10.0
    y = (w * 3).sum()
    assert y.data.item() == 36.0 and not y.data.requires_grad


def test_actualizacion_manual_con_data():
    w = tg.tensor([1.0, -2.0], requires_grad=True)
    (w * w).sum().backward()
    lr = 0.1
    w.data -= lr * w.grad.data
    np.testing.assert_allclose(w.detach().numpy(), [0.8, -1.6], rtol=1e-6)
    assert w.requires_grad and w.is_leaf
    w.grad.data.zero_()
    np.testing.assert_array_equal(w.grad.numpy(), [0.0, 0.0])
    w.data = tg.tensor([5.0, 6.0])
    assert w.tolist() == [5.0, 6.0] and w.requires_grad


def test_data_igual_que_torch(requiere_torch):
    torch = requiere_torch
    resultados = []
    for m in (tg, torch):
        w = m.tensor([1.0, -2.0, 0.5], requires_grad=True)
        for _ in range(3):
            perdida = ((w * w) * m.tensor([1.0, 2.0, 3.0])).sum()
            perdida.backward()
            w.data -= 0.05 * w.grad.data
            w.grad.data.zero_()
        resultados.append(w.detach().numpy().copy())
    np.testing.assert_allclose(resultados[0], resultados[1], rtol=1e-6)


# --- forma y metadatos -------------------------------------------------------------------------
def test_forma_y_tamanos():
    x = tg.zeros(2, 3, 4)
    assert x.shape == (2, 3, 4) and x.size() == (2, 3, 4) and x.size(1) == 3 and x.size(-1) == 4
    assert str(x.shape) == "torch.Size([2, 3, 4])" and x.shape.numel() == 24
    assert x.dim() == 3 and x.ndim == 3 and x.numel() == 24 and len(x) == 2
    assert tg.tensor(1.0).dim() == 0 and tg.tensor(1.0).numel() == 1
    with pytest.raises(TypeError):
        len(tg.tensor(1.0))
    with pytest.raises(RuntimeError, match="ambiguo"):
        bool(tg.ones(2))
    assert bool(tg.tensor([0.0])) is False


def test_iteracion_y_tolist():
    m = tg.tensor([[1, 2], [3, 4]])
    filas = list(m)
    assert len(filas) == 2 and all(isinstance(f, tg.Tensor) for f in filas)
    assert [f.tolist() for f in filas] == [[1, 2], [3, 4]]
    assert [int(v) for v in tg.arange(3)] == [0, 1, 2]
    assert m.tolist() == [[1, 2], [3, 4]] and tg.tensor(2.0).tolist() == 2.0
    a, b = tg.tensor([5.0, 6.0])
    assert a.item() == 5.0 and b.item() == 6.0
    assert [1, 2, 3][tg.tensor(1)] == 2
    with pytest.raises(TypeError):
        iter(tg.tensor(1.0))


def test_iterar_un_tensor_con_grad_propaga_el_gradiente():
    x = tg.tensor([1.0, 2.0, 3.0], requires_grad=True)
    total = sum(v * v for v in x)
    total.backward()
    np.testing.assert_allclose(x.grad.numpy(), [2.0, 4.0, 6.0])


def test_detach_clone_requires_grad_is_leaf():
    x = tg.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    assert x.is_leaf and not y.is_leaf and y.requires_grad
    d = y.detach()
    assert d.is_leaf and not d.requires_grad and d.grad_fn is None
    d[0] = 100.0   # comparte memoria con y
    assert y[0].item() == 100.0
    c = x.clone()
    assert c.grad_fn is not None and not c.is_leaf and c.tolist() == x.tolist()
    c.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [1.0, 1.0])
    c2 = tg.ones(2).clone()
    c2[0] = 5.0
    assert not c2.requires_grad
    z = tg.ones(2)
    assert z.requires_grad_() is z and z.requires_grad and z.is_leaf
    z.requires_grad_(False)
    assert not z.requires_grad
    with pytest.raises(RuntimeError, match="hoja"):
        y.requires_grad_(False)


def test_transpuestas_y_conversiones():
    m = tg.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    assert m.T.shape == (3, 2) and m.T.tolist() == [[1.0, 4.0], [2.0, 5.0], [3.0, 6.0]]
    assert m.t().tolist() == m.T.tolist() and tg.ones(4).t().shape == (4,)
    assert tg.zeros(2, 3, 4).T.shape == (4, 3, 2)
    with pytest.raises(RuntimeError, match="2 dimensiones"):
        tg.zeros(2, 3, 4).t()
    assert m.float() is m
    assert m.double().dtype == tg.float64 and m.long().dtype == tg.int64
    assert tg.tensor([1.7, -1.7]).long().tolist() == [1, -1]
    assert tg.tensor([1, 2]).float().dtype == tg.float32 and not tg.tensor([1]).float().requires_grad
    x = tg.tensor([1.0, 2.0], requires_grad=True)
    x.double().sum().backward()
    assert x.grad.dtype == tg.float32


def test_comparaciones_devuelven_bool_sin_gradiente():
    x = tg.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * 1
    for r in (x > 1.5, y < 2, x >= 2, x <= y, x == y, x != 2, x > tg.tensor([0.0, 5.0, 1.0])):
        assert r.dtype == tg.bool and not r.requires_grad and r.grad_fn is None
    assert (x > 1.5).tolist() == [False, True, True]
    assert (x > tg.tensor([0.0, 5.0, 1.0])).tolist() == [True, False, True]
    assert ((x > 1) & (x < 3)).tolist() == [False, True, False]
    assert ((x < 1.5) | (x > 2.5)).tolist() == [True, False, True]
    assert (~(x > 1.5)).tolist() == [True, False, False]


def test_argmax_argmin():
    t = tg.tensor([[1.0, 5.0, 2.0], [7.0, 0.0, 3.0]])
    assert t.argmax().item() == 3 and t.argmin().item() == 4
    assert t.argmax(dim=1).tolist() == [1, 0] and t.argmin(0).tolist() == [0, 1, 0]
    assert t.argmax(1, keepdim=True).shape == (2, 1)
    assert t.argmax().dtype == tg.int64
    assert tg.argmax(t, dim=0).tolist() == [1, 0, 1]
    assert tg.tensor([2.0, 9.0, 9.0]).argmax().item() == 1   # primer máximo, como torch


# --- funciones que usan los cursos ------------------------------------------------------------------
CURSO = [
    ("t", lambda m, a, b: a.t()),
    ("mm", lambda m, a, b: a.mm(b.t())),
    ("torch_mm", lambda m, a, b: m.mm(a, b.t())),
    ("bmm", lambda m, a, b: a.reshape(2, 1, 3).bmm(b.reshape(2, 3, 1))),
    ("std", lambda m, a, b: a.std()),
    ("std_dim", lambda m, a, b: a.std(dim=0)),
    ("std_sesgada", lambda m, a, b: a.std(unbiased=False)),
    ("var", lambda m, a, b: a.var()),
    ("var_dim_keepdim", lambda m, a, b: a.var(1, keepdim=True)),
    ("var_correction", lambda m, a, b: a.var(correction=0)),
    ("sin", lambda m, a, b: a.sin()),
    ("cos", lambda m, a, b: m.cos(a)),
    ("maximum", lambda m, a, b: m.maximum(a, b)),
    ("max_de_dos", lambda m, a, b: m.max(a, b)),
    ("minimum", lambda m, a, b: a.minimum(b)),
]


@pytest.mark.parametrize("nombre,f", CURSO, ids=[c[0] for c in CURSO])
def test_funciones_del_curso_igual_que_torch(requiere_torch, nombre, f):
    torch = requiere_torch
    va = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]])
    vb = np.array([[1.0, -2.0, 0.5], [0.0, 0.25, 3.0]])
    salidas, grads = [], []
    for m in (tg, torch):
        a = m.tensor(va, requires_grad=True)
        b = m.tensor(vb, requires_grad=True)
        out = f(m, a, b)
        out.sum().backward()
        salidas.append(out.detach().numpy())
        grads.append((a.grad.numpy(), None if b.grad is None else b.grad.numpy()))
    np.testing.assert_allclose(salidas[0], salidas[1], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(grads[0][0], grads[1][0], rtol=1e-10, atol=1e-12)
    if grads[1][1] is not None:
        np.testing.assert_allclose(grads[0][1], grads[1][1], rtol=1e-10, atol=1e-12)


def test_mm_y_bmm_exigen_2d_y_3d():
    with pytest.raises(RuntimeError, match=r"\(2, 3, 4\)"):
        tg.ones(2, 3, 4).mm(tg.ones(4, 2))
    with pytest.raises(RuntimeError, match=r"\(3, 2\)"):
        tg.ones(2, 3).bmm(tg.ones(3, 2))
    with pytest.raises(RuntimeError, match="lote"):
        tg.ones(2, 3, 4).bmm(tg.ones(3, 4, 2))
    assert tg.ones(5, 2, 3).bmm(tg.ones(5, 3, 4)).shape == (5, 2, 4)


def test_randperm_permuta_un_conjunto_de_datos():
    tg.manual_seed(3)
    datos = tg.arange(10.0) * 10
    orden = tg.randperm(10)
    barajados = datos[orden]
    assert sorted(barajados.tolist()) == datos.tolist()
    assert barajados.tolist() == [datos[i].item() for i in orden.tolist()]


# --- copy.deepcopy -------------------------------------------------------------------------------------
def test_deepcopy_de_una_hoja():
    w = tg.tensor([1.0, 2.0], requires_grad=True)
    (w * 3).sum().backward()
    copia = copy.deepcopy(w)
    assert copia is not w and copia.requires_grad and copia.is_leaf
    assert copia.tolist() == [1.0, 2.0] and copia.grad.tolist() == [3.0, 3.0]
    with tg.no_grad():
        w.add_(1)
    w.grad.zero_()
    assert copia.tolist() == [1.0, 2.0] and copia.grad.tolist() == [3.0, 3.0]
    estado = copy.deepcopy({"peso": w, "otro": [w]})
    assert estado["peso"] is estado["otro"][0]   # respeta el memo de deepcopy
    with pytest.raises(RuntimeError, match="hoja"):
        copy.deepcopy(w * 2)
