"""Un paso de entrenamiento del MLP del curso (784-128-64-10, lote 64, float32).

Compara, en una misma ejecución y con repeticiones intercaladas:
- NumPy escrito a mano (forward, backward y SGD);
- tinygrad_es con operaciones de tensor sueltas (matmul, relu, log_softmax, indexado);
- tinygrad_es con nn.Linear/ReLU/LogSoftmax/NLLLoss y optim.SGD (si están disponibles);
- PyTorch en CPU (si está instalado).

Uso: python benchmarks/paso_mlp.py [--repeticiones N] [--json]
"""
import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from _comun import imprimir, medir_intercalado  # noqa: E402

import tinygrad_es as tg  # noqa: E402

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


def paso_nn(capas, x, y):
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
    perdida, opt = nn.NLLLoss(), optim.SGD(modelo.parameters(), lr=LR)
    xt, yt = tg.from_numpy(x), tg.from_numpy(y.astype(np.int64))

    def paso():
        opt.zero_grad()
        loss = perdida(modelo(xt), yt)
        loss.backward()
        opt.step()
        return loss
    return paso


def paso_torch(capas, x, y):
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
    perdida, opt = torch.nn.NLLLoss(), torch.optim.SGD(modelo.parameters(), lr=LR)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y.astype(np.int64))

    def paso():
        opt.zero_grad()
        loss = perdida(modelo(xt), yt)
        loss.backward()
        opt.step()
        return loss
    return paso


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeticiones", type=int, default=200)
    parser.add_argument("--json", action="store_true", help="salida en JSON")
    args = parser.parse_args(argv)
    capas, x, y = pesos_iniciales()
    candidatos = {
        "NumPy a mano": paso_numpy(capas, x, y),
        "tinygrad_es (operaciones de tensor)": paso_tensores(capas, x, y),
        "tinygrad_es (nn + optim.SGD)": paso_nn(capas, x, y),
        "PyTorch CPU (nn + optim.SGD)": paso_torch(capas, x, y),
    }
    funciones = {k: f for k, f in candidatos.items() if f is not None}
    medianas = medir_intercalado(funciones, repeticiones=args.repeticiones)
    imprimir(f"Paso de entrenamiento MLP 784-128-64-10, lote {LOTE}, float32", medianas,
             "NumPy a mano", como_json=args.json)


if __name__ == "__main__":
    main()
