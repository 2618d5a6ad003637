"""Dónde se va el tiempo del paso del curso: el trabajo de NumPy frente al del grafo.

Tres candidatos con el MLP 784-128-64-10, lote 64, float32 y SGD, en turnos intercalados:
- NumPy a mano (la referencia de ``paso_mlp.py``);
- el **suelo**: exactamente las mismas llamadas de NumPy que hace tinygrad_es (los ``forward`` y
  ``backward`` de sus operaciones y la actualización de SGD), encadenadas a mano, sin tensores,
  sin grafo, sin módulos y sin optimizador;
- tinygrad_es con ``nn`` y ``optim.SGD``, como en el curso.

El suelo dice cuánto tardaría tinygrad_es si su maquinaria (``Module.__call__``, validaciones,
``_apply``, nodos, motor de backward, optimizador) no costara nada. La diferencia entre
tinygrad_es y el suelo, fase a fase (forward con ``zero_grad`` y pérdida, backward,
actualización), es lo que cuesta esa maquinaria.

Con pausa tras el bloque de cada candidato (``--pausa``) y, con ``--hilos ambos`` (por
defecto), cada candidato también con un hilo; cocientes pareados del paso entero.

Uso: python benchmarks/desglose_paso.py [--repeticiones 40] [--bloque 20] [--pausa 0.3]
                                        [--hilos defecto|1|ambos] [--json]
"""
import os
import statistics
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _comun import (UN_HILO, datos_medicion, gradientes_numpy, maquina_completa,  # noqa: E402
                    medir_por_bloques, mlp, opciones_medicion, pausas_tras, pesos_mlp,
                    raiz_en_path, razones, razones_pareadas, sgd_numpy, tabla, texto_maquina,
                    texto_medicion, variantes, volcar_json)

raiz_en_path()
import tinygrad_es as tg  # noqa: E402
from tinygrad_es.autograd.graph import Node  # noqa: E402
from tinygrad_es.ops import losses, nnops, selection  # noqa: E402
from tinygrad_es.optim.sgd import _add_scaled  # noqa: E402
from tinygrad_es.utils.cli import ParserEs  # noqa: E402

LOTE, TAMANOS, LR = 64, (784, 128, 64, 10), 0.01
FASES = ("forward", "backward", "actualizacion")
REFERENCIA = "NumPy a mano"
SUELO = "suelo (mismas llamadas de NumPy, sin grafo)"
TINYGRAD = "tinygrad_es (nn + optim.SGD)"
CALENTAMIENTO = 5   # pasos de cada candidato antes de medir (no cuentan)


def apuntador():
    """``(fases, apuntar)``: ``apuntar(t0, t1, t2, t3)`` añade a ``fases`` lo que duró cada
    fase de un paso (``t1=None``: el candidato no separa forward y backward)."""
    fases = {f: [] for f in FASES}

    def apuntar(t0, t1, t2, t3):
        if t1 is not None:
            fases["forward"].append(t1 - t0)
            fases["backward"].append(t2 - t1)
        fases["actualizacion"].append(t3 - t2)
    return fases, apuntar


def paso_numpy(capas, x, y):
    params = [[w.copy(), b.copy()] for w, b in capas]
    fases, apuntar = apuntador()

    def paso():
        t0 = time.perf_counter()
        _, grads = gradientes_numpy(params, x, y)
        t1 = time.perf_counter()
        sgd_numpy(params, grads, LR)
        apuntar(t0, None, t1, time.perf_counter())   # forward y backward juntos
    paso.fases = fases
    return paso


def paso_suelo(capas, x, y):
    """Las llamadas de NumPy de tinygrad_es, una tras otra (el ctx es un ``Node`` suelto; la
    actualización, la misma función que usa ``optim.SGD``)."""
    params = [[w.copy(), b.copy()] for w, b in capas]
    fases, apuntar = apuntador()

    def paso():
        t0 = time.perf_counter()
        nodos, h = [], x
        for i, (w, b) in enumerate(params):
            ctx = Node(nnops.Linear, (i > 0, True, True))
            h = nnops.Linear.forward(ctx, h, w, b)
            nodos.append(ctx)
            if i < len(params) - 1:
                ctx = Node(selection.ReLU, (True,))
                h = selection.ReLU.forward(ctx, h)
                nodos.append(ctx)
        ctx_lsm = Node(nnops.LogSoftmax, (True,))
        h = nnops.LogSoftmax.forward(ctx_lsm, h, 1)
        ctx_nll = Node(losses.NllLoss, (True, False, False))
        losses.NllLoss.forward(ctx_nll, h, y, None, None, "mean")
        t1 = time.perf_counter()
        g = losses.NllLoss.backward(ctx_nll, np.array(1, np.float32))[0]
        g = nnops.LogSoftmax.backward(ctx_lsm, g)
        grads = []
        for ctx in reversed(nodos):
            if ctx.op is nnops.Linear:
                g, gw, gb = nnops.Linear.backward(ctx, g)
                grads += [gb, gw]
            else:
                g = selection.ReLU.backward(ctx, g)
        t2 = time.perf_counter()
        for p, gp in zip((a for par in params for a in par), reversed(grads)):
            _add_scaled(p, gp, -LR)
        apuntar(t0, t1, t2, time.perf_counter())
    paso.pesos = lambda: [a for par in params for a in par]
    paso.fases = fases
    return paso


def paso_tinygrad(capas, x, y):
    modelo = mlp(tg, capas)
    opt = tg.optim.SGD(modelo.parameters(), lr=LR)
    criterio = tg.nn.NLLLoss()
    xt, yt = tg.from_numpy(x), tg.from_numpy(y)
    fases, apuntar = apuntador()

    def paso():
        t0 = time.perf_counter()
        opt.zero_grad()
        perdida = criterio(modelo(xt), yt)
        t1 = time.perf_counter()
        perdida.backward()
        t2 = time.perf_counter()
        opt.step()
        apuntar(t0, t1, t2, time.perf_counter())
    paso.pesos = lambda: [p.detach().numpy() for p in modelo.parameters()]
    paso.fases = fases
    return paso


def medir(capas, x, y, args):
    """Turnos rotados de ``bloque`` pasos (``_comun.medir_por_bloques``), con las variantes de
    ``--hilos``; por candidato, la lista de tiempos (s) de cada fase y del paso entero
    (``total``), sin el calentamiento, y los cocientes pareados del total."""
    fabricas = {REFERENCIA: lambda: paso_numpy(capas, x, y),
                SUELO: lambda: paso_suelo(capas, x, y),
                TINYGRAD: lambda: paso_tinygrad(capas, x, y)}
    candidatos, contextos = variantes(fabricas, args.hilos)
    totales = medir_por_bloques(candidatos, repeticiones=args.repeticiones, bloque=args.bloque,
                                calentamiento=CALENTAMIENTO, por_llamada=True,
                                pausas=pausas_tras(candidatos, args.pausa), contextos=contextos)
    fases = {}
    for nombre, paso in candidatos.items():
        fases[nombre] = paso.fases
        for lista in paso.fases.values():
            del lista[:CALENTAMIENTO]
        fases[nombre]["total"] = totales[nombre]
    return candidatos, fases, razones_pareadas(totales, REFERENCIA, args.bloque)


def main(argv=None):
    parser = ParserEs(description=__doc__.split("\n")[0])
    parser.add_argument("--repeticiones", type=int, default=40, help="turnos intercalados (40)")
    parser.add_argument("--bloque", type=int, default=20, help="pasos seguidos por turno (20)")
    opciones_medicion(parser)
    parser.add_argument("--json", action="store_true", help="salida en JSON")
    args = parser.parse_args(argv)
    capas = pesos_mlp(0, TAMANOS)
    rng = np.random.default_rng(1)
    x = rng.random((LOTE, TAMANOS[0]), dtype=np.float32)
    y = rng.integers(0, TAMANOS[-1], LOTE).astype(np.int64)
    candidatos, tiempos, pareadas = medir(capas, x, y, args)
    # el suelo hace las mismas cuentas que tinygrad_es: tras los mismos pasos, los mismos pesos
    sufijos = [s for s in ("", UN_HILO) if SUELO + s in candidatos]
    iguales = all(np.array_equal(a, b)
                  for s in sufijos for a, b in zip(candidatos[SUELO + s].pesos(),
                                                   candidatos[TINYGRAD + s].pesos()))
    medianas_us = {n: {f: statistics.median(ts) * 1e6 for f, ts in fases.items() if ts}
                   for n, fases in tiempos.items()}
    razones_ = razones({n: m["total"] for n, m in medianas_us.items()}, REFERENCIA)
    maquinaria = {s: {f: medianas_us[TINYGRAD + s][f] - medianas_us[SUELO + s][f]
                      for f in FASES + ("total",)} for s in sufijos}
    titulo = (f"Desglose del paso MLP 784-128-64-10, lote {LOTE}, float32, SGD: NumPy frente "
              "a la maquinaria del grafo")
    if args.json:
        volcar_json(titulo, maquina=maquina_completa(),
                    parametros={"repeticiones": args.repeticiones, "bloque": args.bloque,
                                **datos_medicion(args.pausa, args.hilos)},
                    medianas_us=medianas_us, referencia=REFERENCIA, razones=razones_,
                    razones_pareadas=pareadas, maquinaria_us=maquinaria[sufijos[0]],
                    maquinaria_us_por_variante=maquinaria, suelo_igual_a_tinygrad_es=iguales)
        return
    print(f"== {titulo} ==")
    print("\n".join(texto_maquina(maquina_completa())))
    print(texto_medicion(args.pausa, args.hilos))
    filas = []
    for nombre, m in medianas_us.items():
        filas.append([nombre] + [f"{m[f]:.1f}" if f in m else "—" for f in FASES]
                     + [f"{m['total']:.1f}", f"{razones_[nombre]:.2f}x",
                        f"{pareadas[nombre]['mediana']:.2f}x"])
    for s in sufijos:
        filas.append([f"maquinaria (tinygrad_es - suelo){s}"]
                     + [f"{maquinaria[s][f]:+.1f}" for f in FASES + ("total",)] + ["", ""])
    print("\n".join(tabla(("µs por paso (medianas)", "forward", "backward", "actualización",
                           "total", f"vs {REFERENCIA}", "pareado"), filas)))
    print("Pesos del suelo y de tinygrad_es tras los mismos pasos: "
          + ("idénticos bit a bit (mismas cuentas)." if iguales else
             "DISTINTOS: el suelo ya no hace las mismas cuentas que tinygrad_es."))
    print("NumPy a mano no separa forward y backward (los calcula en la misma función). Las "
          "medianas de cada fase se toman por separado: no tienen por qué sumar el total.")


if __name__ == "__main__":
    main()
