"""Un paso de entrenamiento del MLP del curso (784-128-64-10, lote 64, float32).

Compara, en una misma ejecución y con repeticiones intercaladas:
- NumPy escrito a mano (forward, backward y SGD);
- tinygrad_es con operaciones de tensor sueltas (matmul, relu, log_softmax, indexado);
- tinygrad_es con nn.Linear/ReLU/LogSoftmax/NLLLoss y optim.SGD (si están disponibles);
- PyTorch en CPU (si está instalado).

Con pausa tras el bloque de cada candidato (``--pausa``, más larga tras PyTorch) y, con
``--hilos ambos`` (por defecto), cada candidato también con un hilo.

Uso: python benchmarks/paso_mlp.py [--repeticiones N] [--bloque B] [--pausa 0.3]
                                   [--hilos defecto|1|ambos] [--json]
"""
import os
import statistics
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from _comun import (datos_medicion, gradientes_numpy, imprimir, medir_por_bloques,  # noqa: E402
                    mlp, opciones_medicion, paso_nn, pausas_tras, pesos_mlp, raiz_en_path,
                    razones_pareadas, sgd_numpy, texto_medicion, torch_o_none, variantes)

raiz_en_path()
import tinygrad_es as tg  # noqa: E402
from tinygrad_es.utils.cli import ParserEs  # noqa: E402

LOTE, TAMANOS, LR = 64, (784, 128, 64, 10), 0.01


def pesos_iniciales(seed=0):
    """Pesos del MLP (como nn.Linear) y un lote sintético de 64 imágenes con sus etiquetas."""
    rng = np.random.default_rng(seed + 1)
    x = rng.random((LOTE, 784), dtype=np.float32)
    y = rng.integers(0, 10, LOTE)
    return pesos_mlp(seed, TAMANOS), x, y


def paso_numpy(capas, x, y):
    """Backprop escrito a mano con SGD: la referencia."""
    params = [[w.copy(), b.copy()] for w, b in capas]

    def paso():
        perdida, grads = gradientes_numpy(params, x, y)
        sgd_numpy(params, grads, LR)
        return perdida
    return paso


def paso_tensores(capas, x, y):
    """tinygrad_es con operaciones de tensor sueltas y actualización manual."""
    params = [(tg.tensor(w, requires_grad=True), tg.tensor(b, requires_grad=True))
              for w, b in capas]
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


def paso_biblioteca(biblioteca, capas, x, y, optimizador="SGD"):
    """El paso del curso con ``nn`` y ``optim``, idéntico para tinygrad_es y para torch."""
    modelo = mlp(biblioteca, capas)
    opt = getattr(biblioteca.optim, optimizador)(modelo.parameters(), lr=LR)
    paso = paso_nn(modelo, biblioteca.nn.NLLLoss(), opt)
    xt, yt = biblioteca.from_numpy(x), biblioteca.from_numpy(y.astype(np.int64))
    return lambda: paso(xt, yt)


def paso_numpy_adam(capas, x, y):
    """Adam escrito a mano en NumPy (mismas cuentas que torch.optim.Adam), como referencia."""
    params = [[w.copy(), b.copy()] for w, b in capas]
    estado = [[np.zeros_like(a), np.zeros_like(a)] for par in params for a in par]
    b1, b2, eps, paso_t = 0.9, 0.999, 1e-8, [0]

    def paso():
        perdida, grads = gradientes_numpy(params, x, y)
        paso_t[0] += 1
        t = paso_t[0]
        for a, da, (m, v) in zip([a for par in params for a in par], grads, estado):
            m *= b1
            m += (1 - b1) * da
            v *= b2
            v += (1 - b2) * da * da
            a -= (LR / (1 - b1 ** t)) * m / (np.sqrt(v) / np.sqrt(1 - b2 ** t) + eps)
        return perdida
    return paso


def main(argv=None):
    parser = ParserEs(description=__doc__.split("\n")[0])
    parser.add_argument("--repeticiones", type=int, default=30,
                        help="turnos intercalados (30); cada turno son --bloque pasos seguidos")
    parser.add_argument("--bloque", type=int, default=40, help="pasos seguidos por turno (40)")
    opciones_medicion(parser)
    parser.add_argument("--json", action="store_true", help="salida en JSON")
    args = parser.parse_args(argv)
    capas, x, y = pesos_iniciales()
    torch = torch_o_none()
    if torch is not None:
        torch.set_num_threads(os.cpu_count() or 1)
    resultados, razones_opt, fallos_opt = {}, {}, {}
    for optimizador, referencia in (("SGD", paso_numpy), ("Adam", paso_numpy_adam)):
        fabricas = {f"NumPy a mano ({optimizador})": lambda r=referencia: r(capas, x, y)}
        if optimizador == "SGD":
            fabricas["tinygrad_es (operaciones de tensor)"] = lambda: paso_tensores(capas, x, y)
        fabricas[f"tinygrad_es (nn + optim.{optimizador})"] = (
            lambda o=optimizador: paso_biblioteca(tg, capas, x, y, o))
        if torch is not None:
            fabricas[f"PyTorch CPU (nn + optim.{optimizador})"] = (
                lambda o=optimizador: paso_biblioteca(torch, capas, x, y, o))
        funciones, contextos = variantes(fabricas, args.hilos)
        fallos = fallos_opt[optimizador] = {}
        tiempos = medir_por_bloques(funciones, repeticiones=args.repeticiones,
                                    bloque=args.bloque, calentamiento=5, por_llamada=True,
                                    fallos=fallos, pausas=pausas_tras(funciones, args.pausa),
                                    contextos=contextos)
        medianas = {k: statistics.median(ts) for k, ts in tiempos.items()}
        referencia_opt = f"NumPy a mano ({optimizador})"
        pareadas = razones_pareadas(tiempos, referencia_opt, args.bloque)
        resultados[optimizador] = medianas
        razones_opt[optimizador] = pareadas
        if not args.json:
            imprimir(f"Paso de entrenamiento MLP 784-128-64-10, lote {LOTE}, float32, "
                     f"{optimizador}", medianas, referencia_opt, pareadas=pareadas)
            if fallos:
                print("  Fallos de página por paso: " + "; ".join(
                    f"{k} {v:.0f}" for k, v in fallos.items()))
    if args.json:
        todas = {k: v for medianas in resultados.values() for k, v in medianas.items()}
        imprimir(f"Paso de entrenamiento MLP 784-128-64-10, lote {LOTE}, float32", todas,
                 "NumPy a mano (SGD)", como_json=True,
                 extra={"por_optimizador": resultados, "razones_pareadas": razones_opt,
                        "fallos_pagina_por_paso": fallos_opt,
                        "medicion": datos_medicion(args.pausa, args.hilos)})
    else:
        print(texto_medicion(args.pausa, args.hilos))
        print("Columnas: mediana de todas las llamadas, su cociente frente a NumPy a mano y la "
              "mediana de los cocientes turno a turno (cada turno, frente a la referencia del "
              "mismo turno; la cifra menos sensible al ruido de la máquina).")


if __name__ == "__main__":
    main()
