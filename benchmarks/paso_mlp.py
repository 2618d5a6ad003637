"""Un paso de entrenamiento del MLP del curso (784-128-64-10, lote 64, float32).

Compara, en una misma ejecución y con repeticiones intercaladas:
- NumPy escrito a mano (forward, backward y SGD);
- tinygrad_es con operaciones de tensor sueltas (matmul, relu, log_softmax, indexado);
- tinygrad_es con nn.Linear/ReLU/LogSoftmax/NLLLoss y optim.SGD (si están disponibles);
- PyTorch en CPU (si está instalado).

Uso: python benchmarks/paso_mlp.py [--repeticiones N] [--json]
"""
import os
import statistics
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from _comun import imprimir, medir_por_bloques  # noqa: E402

import tinygrad_es as tg  # noqa: E402
from tinygrad_es.utils.cli import ParserEs  # noqa: E402

LOTE, TAMANOS, LR = 64, (784, 128, 64, 10), 0.01


def pesos_iniciales(seed=0):
    rng = np.random.default_rng(seed)
    capas = []
    for fan_in, fan_out in zip(TAMANOS[:-1], TAMANOS[1:]):
        bound = 1 / np.sqrt(fan_in)
        capas.append((rng.uniform(-bound, bound, (fan_out, fan_in)).astype(np.float32),
                      rng.uniform(-bound, bound, fan_out).astype(np.float32)))
    x = rng.random((LOTE, 784), dtype=np.float32)
    y = rng.integers(0, 10, LOTE)
    return capas, x, y


def paso_numpy(capas, x, y):
    """Backprop escrito a mano: la referencia."""
    params = [[w.copy(), b.copy()] for w, b in capas]

    def paso():
        acts, h = [x], x
        for i, (w, b) in enumerate(params):
            h = h @ w.T + b
            if i < len(params) - 1:
                h = np.maximum(h, 0)
            acts.append(h)
        z = h - h.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        loss = -logp[np.arange(LOTE), y].mean()
        g = np.exp(logp)
        g[np.arange(LOTE), y] -= 1
        g /= LOTE
        for i in range(len(params) - 1, -1, -1):
            w, b = params[i]
            gw, gb = g.T @ acts[i], g.sum(axis=0)
            if i > 0:
                g = (g @ w) * (acts[i] > 0)
            w -= LR * gw
            b -= LR * gb
        return loss
    return paso


def paso_tensores(capas, x, y):
    """tinygrad_es con operaciones de tensor sueltas y actualización manual."""
    params = [(tg.tensor(w, requires_grad=True), tg.tensor(b, requires_grad=True)) for w, b in capas]
    xt, filas, yt = tg.from_numpy(x), np.arange(LOTE), y

    def paso():
        h = xt
        for i, (w, b) in enumerate(params):
            h = h @ w.T + b
            if i < len(params) - 1:
                h = h.relu()
        loss = -h.log_softmax(dim=1)[filas, yt].mean()
        loss.backward()
        with tg.no_grad():
            for w, b in params:
                w -= LR * w.grad
                b -= LR * b.grad
                w.grad = b.grad = None
        return loss
    return paso


def paso_nn(capas, x, y, optimizador="SGD"):
    """tinygrad_es con nn y optim, como el código del curso."""
    try:
        import tinygrad_es.nn as nn
        import tinygrad_es.optim as optim
    except ImportError:
        return None
    modelo = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(),
                           nn.Linear(64, 10), nn.LogSoftmax(dim=1))
    with tg.no_grad():
        for capa, (w, b) in zip([m for m in modelo if isinstance(m, nn.Linear)], capas):
            capa.weight.copy_(tg.from_numpy(w))
            capa.bias.copy_(tg.from_numpy(b))
    perdida, opt = nn.NLLLoss(), getattr(optim, optimizador)(modelo.parameters(), lr=LR)
    xt, yt = tg.from_numpy(x), tg.from_numpy(y.astype(np.int64))

    def paso():
        opt.zero_grad()
        loss = perdida(modelo(xt), yt)
        loss.backward()
        opt.step()
        return loss
    return paso


def paso_torch(capas, x, y, optimizador="SGD"):
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(os.cpu_count() or 1)
    modelo = torch.nn.Sequential(torch.nn.Linear(784, 128), torch.nn.ReLU(),
                                 torch.nn.Linear(128, 64), torch.nn.ReLU(),
                                 torch.nn.Linear(64, 10), torch.nn.LogSoftmax(dim=1))
    with torch.no_grad():
        for capa, (w, b) in zip([m for m in modelo if isinstance(m, torch.nn.Linear)], capas):
            capa.weight.copy_(torch.from_numpy(w))
            capa.bias.copy_(torch.from_numpy(b))
    perdida, opt = torch.nn.NLLLoss(), getattr(torch.optim, optimizador)(modelo.parameters(), lr=LR)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y.astype(np.int64))

    def paso():
        opt.zero_grad()
        loss = perdida(modelo(xt), yt)
        loss.backward()
        opt.step()
        return loss
    return paso


def paso_numpy_adam(capas, x, y):
    """Adam escrito a mano en NumPy (mismas cuentas que torch.optim.Adam), como referencia."""
    params = [[w.copy(), b.copy()] for w, b in capas]
    estado = [[np.zeros_like(a), np.zeros_like(a)] for par in params for a in par]
    b1, b2, eps, paso_t = 0.9, 0.999, 1e-8, [0]

    def paso():
        acts, h = [x], x
        for i, (w, b) in enumerate(params):
            h = h @ w.T + b
            if i < len(params) - 1:
                h = np.maximum(h, 0)
            acts.append(h)
        z = h - h.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        g = np.exp(logp)
        g[np.arange(LOTE), y] -= 1
        g /= LOTE
        grads = []
        for i in range(len(params) - 1, -1, -1):
            w, _ = params[i]
            grads[:0] = [g.T @ acts[i], g.sum(axis=0)]
            if i > 0:
                g = (g @ w) * (acts[i] > 0)
        paso_t[0] += 1
        t = paso_t[0]
        for a, da, (m, v) in zip([a for par in params for a in par], grads, estado):
            m *= b1
            m += (1 - b1) * da
            v *= b2
            v += (1 - b2) * da * da
            a -= (LR / (1 - b1 ** t)) * m / (np.sqrt(v) / np.sqrt(1 - b2 ** t) + eps)
    return paso


def main(argv=None):
    parser = ParserEs(description=__doc__.split("\n")[0])
    parser.add_argument("--repeticiones", type=int, default=15,
                        help="turnos intercalados (15); cada turno son --bloque pasos seguidos")
    parser.add_argument("--bloque", type=int, default=40, help="pasos seguidos por turno (40)")
    parser.add_argument("--json", action="store_true", help="salida en JSON")
    args = parser.parse_args(argv)
    capas, x, y = pesos_iniciales()
    resultados = {}
    for optimizador, referencia in (("SGD", paso_numpy), ("Adam", paso_numpy_adam)):
        candidatos = {
            f"NumPy a mano ({optimizador})": referencia(capas, x, y),
            "tinygrad_es (operaciones de tensor)": (paso_tensores(capas, x, y)
                                                    if optimizador == "SGD" else None),
            f"tinygrad_es (nn + optim.{optimizador})": paso_nn(capas, x, y, optimizador),
            f"PyTorch CPU (nn + optim.{optimizador})": paso_torch(capas, x, y, optimizador),
        }
        funciones = {k: f for k, f in candidatos.items() if f is not None}
        tiempos = medir_por_bloques(funciones, repeticiones=args.repeticiones,
                                    bloque=args.bloque, calentamiento=5, pausa=0.05,
                                    por_llamada=True)
        medianas = {k: statistics.median(ts) for k, ts in tiempos.items()}
        resultados[optimizador] = medianas
        if not args.json:
            imprimir(f"Paso de entrenamiento MLP 784-128-64-10, lote {LOTE}, float32, "
                     f"{optimizador}", medianas, f"NumPy a mano ({optimizador})")
    if args.json:
        todas = {k: v for medianas in resultados.values() for k, v in medianas.items()}
        imprimir(f"Paso de entrenamiento MLP 784-128-64-10, lote {LOTE}, float32", todas,
                 "NumPy a mano (SGD)", como_json=True,
                 extra={"por_optimizador": resultados})


if __name__ == "__main__":
    main()
