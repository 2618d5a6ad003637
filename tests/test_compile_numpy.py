"""La segunda pasada de ``tinygrad_es.compile``: desde la tercera llamada solo se ejecutan las
llamadas de NumPy, con buffers reservados, y los resultados siguen idénticos bit a bit a los de
la ejecución normal (issue #20, punto 3). Si algo de una operación no se puede apuntar, se
sigue con la función por operaciones, sin perder nada.
"""
import warnings

import numpy as np
import pytest

import tinygrad_es as torch
from tinygrad_es import nn
from tinygrad_es.ops.base import Op
from tinygrad_es.tensor import _apply

RNG = np.random.default_rng(1)
X = torch.tensor(RNG.standard_normal((16, 5)).astype(np.float32))
Y = torch.tensor(RNG.integers(0, 3, 16))


def _entrada(compilado):
    """La última captura de la única firma de ``compilado`` (la primera llamada de un paso con
    optimizador se captura con los .grad en None, y las siguientes con .grad)."""
    (entradas,) = [e for e in compilado._cache.values() if isinstance(e, list)]
    return entradas[-1]


def _red():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(5, 8), nn.ReLU(), nn.Linear(8, 3))


def test_desde_la_tercera_llamada_solo_numpy_y_mismos_bits():
    """Devuelve también la salida de la red: lo que sale de la llamada no usa buffers (cada
    llamada da arrays nuevos, aunque el usuario los guarde)."""
    modelos = [_red(), _red()]
    opts = [torch.optim.Adam(m.parameters(), lr=1e-2, weight_decay=1e-3) for m in modelos]

    def paso(modelo, opt, x, y):
        opt.zero_grad()
        salida = modelo(x)
        perdida = nn.functional.cross_entropy(salida, y)
        perdida.backward()
        opt.step()
        return perdida, salida.detach()
    compilado = torch.compile(paso)
    normales, compiladas = [], []
    for i in range(6):
        x = X * (1 + i / 10)   # entradas nuevas en cada llamada
        normales.append(paso(modelos[0], opts[0], x, Y))
        compiladas.append(compilado(modelos[1], opts[1], x, Y))
    for (p0, s0), (p1, s1) in zip(normales, compiladas):
        assert p0.item() == p1.item()
        assert np.array_equal(s0.numpy(), s1.numpy())
    assert len({id(s.numpy()) for _, s in compiladas}) == 6
    for a, b in zip(modelos[0].parameters(), modelos[1].parameters()):
        assert np.array_equal(a.detach().numpy(), b.detach().numpy())
    entrada = _entrada(compilado)
    assert entrada.lowering_failure is None
    assert entrada.source != entrada.op_source
    assert "out=buf" in entrada.source   # los arrays intermedios se escriben en sus buffers
    for nombre in ("np_matmul(", "zero_grad(adam)", "step(adam)", "tensor_nuevo("):
        assert nombre in entrada.source   # el código que enseña paso.code se lee
    usados = [v for k, v in entrada.replay.__globals__.items() if k in entrada.source]
    assert not any(getattr(v, "__name__", "") in ("forward", "backward") for v in usados)


def test_grad_que_se_crea_y_se_borra_dentro_no_se_crea():
    """``p -= lr * p.grad; p.grad = None``: el .grad no sale de la llamada; la versión de NumPy
    no crea ese tensor (usa el array) y el resultado es el mismo."""
    def params():
        torch.manual_seed(3)
        return [torch.randn(5, 3, requires_grad=True), torch.zeros(3, requires_grad=True)]
    normal, compilado = params(), params()

    def paso(ps):
        w, b = ps
        perdida = ((torch.tanh(X @ w + b) - 0.5) ** 2).mean()
        perdida.backward()
        with torch.no_grad():
            for p in ps:
                p -= 0.1 * p.grad
                p.grad = None
        return perdida
    rapido = torch.compile(paso)
    for _ in range(5):
        assert paso(normal).item() == rapido(compilado).item()
    assert all(p.grad is None for p in compilado)
    for a, b in zip(normal, compilado):
        assert np.array_equal(a.detach().numpy(), b.detach().numpy())
    assert "_grad" not in _entrada(rapido).source


class _EscalaPorMaximo(Op):
    """Divide por el máximo, leído como número de Python: la segunda pasada no lo puede apuntar
    (el número cambia con los datos)."""

    rule = "∂/∂a = 1/m"

    @staticmethod
    def forward(ctx, a):
        ctx.escala = float(np.abs(a).max())
        return a / ctx.escala

    @staticmethod
    def backward(ctx, grad):
        return grad / ctx.escala


class _SumaComoEscalar(Op):
    """Convierte un valor calculado con ``dtype.type(...)`` (NumPy no avisa a nadie)."""

    rule = "∂/∂a = 1"

    @staticmethod
    def forward(ctx, a):
        ctx.forma = a.shape
        return np.asarray(a.dtype.type(a.sum()))

    @staticmethod
    def backward(ctx, grad):
        return np.broadcast_to(grad, ctx.forma).copy()


def _igual_sin_compilar(op):
    def params():
        torch.manual_seed(4)
        return torch.randn(5, 2, requires_grad=True)
    normal, compilado = params(), params()

    def paso(w, x):
        perdida = _apply(op, x @ w).sum()
        perdida.backward()
        with torch.no_grad():
            w -= 0.01 * w.grad
            w.grad = None
        return perdida
    rapido = torch.compile(paso)
    for i in range(5):
        x = X * ((-1) ** i * (i + 1))   # el máximo, la suma y los signos cambian
        assert paso(normal, x).item() == rapido(compilado, x).item()
    assert np.array_equal(normal.detach().numpy(), compilado.detach().numpy())
    assert rapido.lowering_failure == _entrada(rapido).lowering_failure   # (lo público)
    return _entrada(rapido)


def test_leer_un_valor_en_una_operacion_sigue_por_operaciones():
    entrada = _igual_sin_compilar(_EscalaPorMaximo)
    assert "se leyó el valor de un array desde Python (__float__)" in entrada.lowering_failure
    assert entrada.source == entrada.op_source


def test_un_valor_convertido_a_escalar_no_se_congela():
    entrada = _igual_sin_compilar(_SumaComoEscalar)
    assert "dio un array que no se apuntó" in entrada.lowering_failure


def test_numpy_queda_como_estaba_tras_la_pasada():
    originales = (np.asarray, np.zeros, np.empty, np.array)
    test_grad_que_se_crea_y_se_borra_dentro_no_se_crea()
    assert (np.asarray, np.zeros, np.empty, np.array) == originales
    assert type(np.zeros(3)) is np.ndarray


class _Recurrente(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn, self.salida = nn.LSTM(4, 6, batch_first=True), nn.Linear(6, 3)

    def forward(self, x):
        return self.salida(self.rnn(x)[0][:, -1])   # estado inicial: ceros creados dentro


MODELOS = {   # modelo, forma de la entrada, ¿se queda solo con NumPy?
    "conv_avgpool": (lambda: nn.Sequential(nn.Conv2d(2, 3, 3, padding=1), nn.ReLU(),
                                           nn.AvgPool2d(2), nn.Flatten(), nn.Linear(48, 3)),
                     (4, 2, 8, 8), True),
    "adaptativo_bn": (lambda: nn.Sequential(nn.Conv2d(2, 3, 3), nn.BatchNorm2d(3),
                                            nn.AdaptiveAvgPool2d(2), nn.Flatten(),
                                            nn.Linear(12, 3)), (4, 2, 8, 8), True),
    "lstm": (_Recurrente, (3, 5, 4), True),
    "maxpool": (lambda: nn.Sequential(nn.Conv2d(2, 3, 3), nn.MaxPool2d(2), nn.Flatten(),
                                      nn.Linear(27, 3)), (4, 2, 8, 8), True),
    # la GELU exacta: su erfc calcula cada tramo con un índice booleano (la forma depende de los
    # valores): sigue por operaciones
    "gelu": (lambda: nn.Sequential(nn.Linear(8, 6), nn.GELU(), nn.Linear(6, 3)), (4, 8), False),
}


@pytest.mark.parametrize("nombre", list(MODELOS))
def test_modelos_del_curso_compilados_igual_que_sin_compilar(nombre):
    """Con entradas contiguas y después con una vista de la misma forma y otros pasos: es otra
    captura (la función de NumPy rehace las vistas de im2col con los pasos de su captura)."""
    construir, forma, solo_numpy = MODELOS[nombre]
    datos = RNG.standard_normal(forma).astype(np.float32)
    contiguo = torch.tensor(datos)
    vista = torch.tensor(np.ascontiguousarray(np.swapaxes(datos, -1, -2))).transpose(-1, -2)
    y = torch.tensor(RNG.integers(0, 3, forma[0]))
    copias = []
    for _ in range(2):
        torch.manual_seed(0)
        modelo = construir()
        copias.append((modelo, torch.optim.SGD(modelo.parameters(), lr=0.1, momentum=0.9)))

    def paso(modelo, opt, x):
        opt.zero_grad()
        perdida = nn.functional.cross_entropy(modelo(x), y)
        perdida.backward()
        opt.step()
        return perdida
    compilado = torch.compile(paso)
    with warnings.catch_warnings():
        warnings.simplefilter("error")   # todo se captura
        for x in (contiguo, contiguo, contiguo, vista, vista, vista, contiguo):
            assert paso(*copias[0], x).item() == compilado(*copias[1], x).item()
    for a, b in zip(copias[0][0].parameters(), copias[1][0].parameters()):
        assert np.array_equal(a.detach().numpy(), b.detach().numpy())
    entradas = [e for es in compilado._cache.values() for e in es]
    repetidas = [e for e in entradas if e._lowered]
    assert len(repetidas) >= 2 and all(
        (e.lowering_failure is None) == solo_numpy for e in repetidas)


def test_un_fallo_al_apuntar_no_rompe_la_llamada(monkeypatch):
    """Si la segunda pasada falla por dentro, la llamada da su resultado y se sigue por
    operaciones."""
    from tinygrad_es._compile.lowering import Lowering

    def roto(self, value):
        raise ValueError("no sé escribir esto")
    monkeypatch.setattr(Lowering, "parts", roto)
    entrada = _igual_sin_compilar(_SumaComoEscalar)
    assert "error al apuntar: ValueError: no sé escribir esto" in entrada.lowering_failure


def test_gradientes_que_se_acumulan_entre_llamadas():
    """Sin zero_grad(): cada llamada suma en el .grad de la anterior (que existe al empezar,
    así que la función de NumPy escribe en él en su sitio), como sin compilar."""
    modelos = [_red(), _red()]

    def paso(modelo, x):
        perdida = nn.functional.cross_entropy(modelo(x), Y)
        perdida.backward()
        return perdida
    compilado = torch.compile(paso)
    for i in range(5):
        x = X * (1 + i)
        assert paso(modelos[0], x).item() == compilado(modelos[1], x).item()
        for a, b in zip(modelos[0].parameters(), modelos[1].parameters()):
            assert np.array_equal(a.grad.numpy(), b.grad.numpy())
    assert "_grad._data" in _entrada(compilado).source


def test_una_forma_que_depende_de_los_valores_sigue_por_operaciones():
    """``np.nonzero`` dentro de una operación: cuántos elementos salen cambia con los datos; la
    función de NumPy tendría la forma de la segunda llamada fija."""
    entrada = _igual_sin_compilar(_SumaDeLosPositivos)
    assert "depende de los valores" in entrada.lowering_failure


class _SumaDeLosPositivos(Op):
    """El doble de la suma de los elementos positivos, con un índice de enteros sacado de
    ``np.nonzero`` (el doble es un array nuevo del tamaño de la selección)."""

    rule = "∂/∂a = 2 donde a > 0"

    @staticmethod
    def forward(ctx, a):
        ctx.donde, ctx.forma = np.nonzero(a > 0), a.shape
        return np.asarray((a[ctx.donde] * 2).sum(), dtype=a.dtype)

    @staticmethod
    def backward(ctx, grad):
        out = np.zeros(ctx.forma, grad.dtype)
        out[ctx.donde] = 2 * grad
        return out


def test_modulo_compilado_que_se_entrena_pasa_a_solo_numpy():
    """``modelo = torch.compile(modelo)``: la segunda llamada apunta su forward y, cuando llega,
    su backward. Varios forwards antes de un backward (también con la pasada a medias: la
    tercera llamada llega antes del backward de la segunda) dan lo mismo que sin compilar."""
    def construir():
        torch.manual_seed(0)
        return nn.Sequential(nn.Linear(5, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Dropout(0.3),
                             nn.Linear(8, 3))
    normal, modelo = construir(), construir()
    compilado = torch.compile(modelo)
    opts = [torch.optim.SGD(m.parameters(), lr=0.1, momentum=0.9) for m in (normal, modelo)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for i in range(5):
            perdidas = []
            for f, opt in ((normal, opts[0]), (compilado, opts[1])):
                torch.manual_seed(10 + i)   # las mismas máscaras de dropout
                opt.zero_grad()
                salidas = [f(X * (1 + i + k)) for k in range(3)]   # tres forwards, un backward
                perdida = sum(nn.functional.cross_entropy(s, Y) for s in salidas)
                perdida.backward()
                opt.step()
                perdidas.append(perdida.item())
            assert perdidas[0] == perdidas[1]
    for a, b in zip(normal.state_dict().values(), modelo.state_dict().values()):
        assert np.array_equal(a.numpy(), b.numpy())
    llamada = compilado._compiled_call
    assert llamada.lowering_failure is None
    assert "def atras(g0, p0" in llamada.code and "np_matmul(" in llamada.code
