"""Tipos de datos de los resultados: las reglas de PyTorch (PYTORCH_SEMANTICS.md), no las de NumPy 2.

Cada fila de la tabla "Result dtypes" se comprueba dos veces: contra el dtype esperado escrito
aquí y, en ``test_fila_igual_que_torch``, contra lo que devuelve torch para la misma expresión.
"""
import numpy as np
import pytest

import tinygrad_es as tg

# (nombre, expresión con un módulo ``m`` que es torch o tinygrad_es, nombre del dtype esperado)
FILAS = [
    ("lista_float", lambda m: m.tensor([1.5]), "float32"),
    ("escalar_float", lambda m: m.tensor(2.5), "float32"),
    ("randn", lambda m: m.randn(2, 3), "float32"),
    ("rand", lambda m: m.rand(4), "float32"),
    ("zeros", lambda m: m.zeros(2), "float32"),
    ("ones", lambda m: m.ones(2, 2), "float32"),
    ("ndarray_float64", lambda m: m.tensor(np.zeros(2)), "float64"),
    ("ndarray_int32", lambda m: m.tensor(np.zeros(2, dtype=np.int32)), "int32"),
    ("ndarray_uint8", lambda m: m.tensor(np.zeros(2, dtype=np.uint8)), "uint8"),
    ("from_numpy_float64", lambda m: m.from_numpy(np.zeros(3)), "float64"),
    ("lista_int", lambda m: m.tensor([1, 2]), "int64"),
    ("lista_bool", lambda m: m.tensor([True, False]), "bool"),
    ("arange_int", lambda m: m.arange(3), "int64"),
    ("arange_float", lambda m: m.arange(0, 1, 0.25), "float32"),
    ("f32_por_float", lambda m: m.ones(2) * 2.5, "float32"),
    ("float_por_f32", lambda m: 2.5 * m.ones(2), "float32"),
    ("f32_por_np_float64", lambda m: m.ones(2) * np.float64(2), "float32"),
    ("f32_mas_np_float64", lambda m: m.ones(2) + np.float64(0.5), "float32"),
    ("f32_por_0d_float64", lambda m: m.ones(2) * m.tensor(2.0, dtype=m.float64), "float32"),
    ("f32_por_1d_float64", lambda m: m.ones(2) * m.ones(2, dtype=m.float64), "float64"),
    ("f64_por_f32", lambda m: m.ones(2, dtype=m.float64) * m.ones(2), "float64"),
    ("int64_entre_int", lambda m: m.tensor([1, 2]) / 2, "float32"),
    ("int_entre_int64", lambda m: 2 / m.tensor([1, 2]), "float32"),
    ("int64_entre_int64", lambda m: m.tensor([1, 2]) / m.tensor([2, 2]), "float32"),
    ("int64_por_medio", lambda m: m.tensor([1, 2]) * 0.5, "float32"),
    ("int64_mas_float", lambda m: m.tensor([1, 2]) + 0.5, "float32"),
    ("uint8_entre_255", lambda m: m.tensor(np.array([0, 255], dtype=np.uint8)) / 255., "float32"),
    ("int64_div_entera", lambda m: m.tensor([5, 7]) // 2, "int64"),
    ("int64_por_int", lambda m: m.tensor([5, 7]) * 3, "int64"),
    ("int32_por_int", lambda m: m.tensor([5, 7], dtype=m.int32) * 3, "int32"),
    ("int32_mas_int64", lambda m: m.tensor([5], dtype=m.int32) + m.tensor([1]), "int64"),
    ("int64_mas_f32", lambda m: m.tensor([5]) + m.tensor([1.0]), "float32"),
    ("int64_mas_0d_f64", lambda m: m.tensor([5]) + m.tensor(1.0, dtype=m.float64), "float64"),
    ("bool_mas_bool_0d_int", lambda m: m.tensor([True]) + m.tensor(1), "int64"),
    ("suma_bool", lambda m: m.tensor([True, False, True]).sum(), "int64"),
    ("suma_int32", lambda m: m.tensor([1, 2], dtype=m.int32).sum(), "int64"),
    ("suma_uint8", lambda m: m.tensor(np.array([200, 100], dtype=np.uint8)).sum(), "int64"),
    ("suma_int_dim", lambda m: m.tensor([[1, 2]], dtype=m.int32).sum(dim=1), "int64"),
    ("comparacion", lambda m: m.ones(2) > 0, "bool"),
    ("exp_de_int", lambda m: m.tensor([1, 2]).exp(), "float32"),
    ("sigmoid_de_int", lambda m: m.tensor([1, 2]).sigmoid(), "float32"),
    ("float_de_int", lambda m: m.tensor([1, 2]).float(), "float32"),
    ("double_de_f32", lambda m: m.ones(2).double(), "float64"),
    ("long_de_f32", lambda m: m.ones(2).long(), "int64"),
    ("argmax", lambda m: m.tensor([1.0, 3.0]).argmax(), "int64"),
    ("max_dim_indices", lambda m: m.tensor([[1.0, 3.0]]).max(dim=1)[1], "int64"),
    ("full_int", lambda m: m.full((2,), 3), "int64"),
    ("full_float", lambda m: m.full((2,), 3.0), "float32"),
    ("full_bool", lambda m: m.full((2,), True), "bool"),
    ("randint", lambda m: m.randint(0, 5, (3,)), "int64"),
    ("randperm", lambda m: m.randperm(4), "int64"),
    ("linspace", lambda m: m.linspace(0, 1, 5), "float32"),
    ("eye", lambda m: m.eye(3), "float32"),
    ("where_f32_escalar", lambda m: m.where(m.ones(2) > 0, m.ones(2), 0.0), "float32"),
    ("maximum_f32_f64", lambda m: m.maximum(m.ones(2), m.ones(2, dtype=m.float64)), "float64"),
    ("cat_f32_f64", lambda m: m.cat([m.ones(2), m.ones(2, dtype=m.float64)]), "float64"),
    ("pow_int_float", lambda m: m.tensor([1, 2]) ** 0.5, "float32"),
    ("pow_f32_int", lambda m: m.ones(2) ** 2, "float32"),
    ("matmul_f64", lambda m: m.ones(2, 2, dtype=m.float64) @ m.ones(2, dtype=m.float64),
     "float64"),
    ("mean_f64", lambda m: m.ones(3, dtype=m.float64).mean(), "float64"),
]

ALEATORIAS = {"randn", "rand", "randint", "randperm"}


def _nombre(dtype):
    return str(dtype).replace("torch.", "")


@pytest.mark.parametrize("nombre,expr,esperado", FILAS, ids=[f[0] for f in FILAS])
def test_fila_de_la_tabla(nombre, expr, esperado):
    assert expr(tg).dtype == np.dtype(esperado)


@pytest.mark.parametrize("nombre,expr,esperado", FILAS, ids=[f[0] for f in FILAS])
def test_fila_igual_que_torch(requiere_torch, nombre, expr, esperado):
    torch = requiere_torch
    assert _nombre(expr(torch).dtype) == esperado
    if nombre in ALEATORIAS:   # aquí solo el dtype (los valores: test_aleatorio_torch.py)
        return
    nuestro = expr(tg)
    np.testing.assert_allclose(nuestro.numpy().astype(np.float64),
                               expr(torch).numpy().astype(np.float64), rtol=1e-6)


def test_los_dtypes_se_exportan_y_son_los_de_numpy():
    assert tg.float32 == np.float32 and tg.float64 == np.float64
    assert tg.int64 == np.int64 and tg.bool == np.bool_
    assert tg.float is tg.float32 and tg.double is tg.float64 and tg.long is tg.int64


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_escalares_no_cambian_el_dtype_de_un_tensor_flotante(dtype):
    x = tg.ones(3, dtype=np.dtype(dtype))
    for y in (x + 1, x - 1.5, 2 * x, x / 3, x ** 2, 1 / x, x * np.float64(2), x * np.int64(2),
              x + np.float32(1), x * True, x * tg.tensor(3.0, dtype=tg.float64)):
        assert y.dtype == np.dtype(dtype)


def test_matmul_float32_por_float64_da_error_en_espanol():
    a, b = tg.ones(2, 3), tg.ones(3, 2, dtype=tg.float64)
    for op in (lambda: a @ b, lambda: b.T @ a.T, lambda: tg.matmul(a, b), lambda: a.mm(b)):
        with pytest.raises(RuntimeError) as info:
            op()
        mensaje = str(info.value)
        assert ".float()" in mensaje and ".double()" in mensaje
        assert "float32" in mensaje and "float64" in mensaje


def test_matmul_mixto_tambien_da_runtimeerror_en_torch(requiere_torch):
    torch = requiere_torch
    with pytest.raises(RuntimeError):
        torch.ones(2, 3) @ torch.ones(3, 2, dtype=torch.float64)


def test_matmul_tras_convertir_con_float_o_double_funciona():
    a, b = tg.ones(2, 3), tg.ones(3, 2, dtype=tg.float64)
    assert (a @ b.float()).dtype == tg.float32
    assert (a.double() @ b).dtype == tg.float64
    np.testing.assert_array_equal((a.double() @ b).numpy(), np.full((2, 2), 3.0))


@pytest.mark.parametrize("dtype_x,dtype_w", [("float32", "float32"), ("float64", "float64"),
                                             ("float32", "float64"), ("float64", "float32")])
def test_el_gradiente_tiene_el_dtype_y_la_forma_de_la_entrada(dtype_x, dtype_w):
    x = tg.ones(4, 1, 3, dtype=np.dtype(dtype_x), requires_grad=True)
    w = tg.ones(3, dtype=np.dtype(dtype_w), requires_grad=True)
    b = tg.tensor(0.5, dtype=np.dtype(dtype_w), requires_grad=True)
    ((x * w + b) * 2.0).sum().backward()
    for t in (x, w, b):
        assert t.grad.dtype == t.dtype
        assert t.grad.shape == t.shape
    np.testing.assert_array_equal(w.grad.numpy(), np.full(3, 8.0))
    np.testing.assert_array_equal(b.grad.numpy(), np.array(24.0))


def test_el_gradiente_a_traves_de_un_cambio_de_tipo_vuelve_al_dtype_original(requiere_torch):
    torch = requiere_torch
    valores = np.array([0.5, -1.25, 2.0], dtype=np.float32)
    resultados = []
    for m in (tg, torch):
        x = m.tensor(valores, requires_grad=True)
        (x.double() ** 2).sum().backward()
        resultados.append(x.grad)
        assert _nombre(x.grad.dtype) == "float32"
    np.testing.assert_allclose(resultados[0].numpy(), resultados[1].numpy())


@pytest.mark.parametrize("crear", [
    lambda: tg.tensor([1, 2], requires_grad=True),
    lambda: tg.tensor([True], requires_grad=True),
    lambda: tg.arange(3).requires_grad_(),
    lambda: tg.zeros(2, dtype=tg.int64, requires_grad=True),
    lambda: setattr(tg.tensor([1, 2]), "requires_grad", True),
])
def test_requires_grad_en_un_tensor_no_flotante_da_runtimeerror(crear):
    with pytest.raises(RuntimeError, match="punto flotante"):
        crear()


def test_requires_grad_en_enteros_tambien_falla_en_torch(requiere_torch):
    torch = requiere_torch
    with pytest.raises(RuntimeError):
        torch.tensor([1, 2], requires_grad=True)


def test_sumas_de_bool_y_enteros_dan_int64_y_el_valor_correcto():
    mascara = tg.tensor([True, False, True, True])
    assert mascara.sum().dtype == tg.int64 and mascara.sum().item() == 3
    pequenos = tg.tensor(np.array([200, 100], dtype=np.uint8))
    assert pequenos.sum().item() == 300   # sin desbordar en uint8
    aciertos = (tg.tensor([1, 2, 3]) == tg.tensor([1, 0, 3])).sum()
    assert aciertos.dtype == tg.int64 and aciertos.item() == 2
    assert isinstance(aciertos.item(), int)


def test_ninguna_operacion_de_un_paso_de_entrenamiento_introduce_float64():
    tg.manual_seed(0)
    x = tg.randn(8, 5)
    w = tg.randn(5, 3, requires_grad=True)
    b = tg.zeros(3, requires_grad=True)
    y = tg.randint(0, 3, (8,))
    logits = (x @ w + b).relu() * 0.5 + 1e-3
    perdida = -logits.log_softmax(dim=1)[tg.arange(8), y].mean() + 0.01 * (w ** 2).sum()
    assert logits.dtype == tg.float32 and perdida.dtype == tg.float32
    perdida.backward()
    assert w.grad.dtype == tg.float32 and b.grad.dtype == tg.float32
    with tg.no_grad():
        w -= 0.1 * w.grad
        b -= np.float64(0.1) * b.grad
    assert w.dtype == tg.float32 and b.dtype == tg.float32
