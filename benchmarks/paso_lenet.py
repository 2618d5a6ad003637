"""Un paso de entrenamiento de LeNet-5 (lote 64×1×28×28, float32, SGD).

LeNet-5: conv 1→6 k5 pad 2, ReLU, max-pool 2; conv 6→16 k5, ReLU, max-pool 2; lineales
400→120→84→10 con ReLU; entropía cruzada. Compara, en una misma ejecución y con turnos
intercalados:
- NumPy escrito a mano (im2col + una multiplicación de matrices por convolución, col2im con un
  bucle sobre las posiciones del kernel, max-pool 2×2 con reshape): la referencia;
- tinygrad_es con nn.Conv2d/MaxPool2d/Linear y optim.SGD;
- PyTorch en CPU (eager) con el mismo código.

Con --desglose imprime además cuánto tarda cada parte del paso de tinygrad_es (forward de cada
capa, backward, actualización), para ver adónde va el tiempo.

Uso: python benchmarks/paso_lenet.py [--repeticiones N] [--bloque B] [--pausa 0.3]
                                     [--hilos defecto|1|ambos] [--json] [--desglose]

Con ``--hilos ambos`` (por defecto) cada candidato se mide también con un hilo (BLAS, OpenMP y
PyTorch), intercalado con la variante de hilos por defecto; con pausa tras cada bloque
(``--pausa`` tras los de PyTorch, la sexta parte tras los demás).

Los fallos de página por paso cuentan la memoria que malloc devolvió al sistema y vuelve a
pedir: dependen de la historia del proceso, no del código.
"""
import os
import statistics
import sys
import time

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

sys.path.insert(0, os.path.dirname(__file__))
from _comun import (UN_HILO, contexto_de, datos_medicion, imprimir,  # noqa: E402
                    medir_por_bloques, opciones_medicion, paso_nn, pausas_tras, raiz_en_path,
                    razones_pareadas, texto_medicion, torch_o_none, variantes)

raiz_en_path()
import tinygrad_es as tg  # noqa: E402
from tinygrad_es.utils.cli import ParserEs  # noqa: E402

LOTE, LR = 64, 0.01
FORMAS = {"c1.weight": (6, 1, 5, 5), "c1.bias": (6,), "c2.weight": (16, 6, 5, 5),
          "c2.bias": (16,), "f1.weight": (120, 400), "f1.bias": (120,),
          "f2.weight": (84, 120), "f2.bias": (84,), "f3.weight": (10, 84), "f3.bias": (10,)}


def datos(seed=0):
    """Pesos iniciales (uniformes ±1/√fan_in, como PyTorch) y un lote sintético."""
    rng = np.random.default_rng(seed)
    pesos = {}
    for nombre, forma in FORMAS.items():
        fan_in = int(np.prod(FORMAS[nombre.replace("bias", "weight")][1:]))
        pesos[nombre] = rng.uniform(-1, 1, forma).astype(np.float32) / np.float32(np.sqrt(fan_in))
    x = rng.random((LOTE, 1, 28, 28), dtype=np.float32)
    y = rng.integers(0, 10, LOTE)
    return pesos, x, y


def lenet(biblioteca):
    nn = biblioteca.nn
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))


def cargar(modelo, biblioteca, pesos):
    capas = {"c1": 0, "c2": 3, "f1": 7, "f2": 9, "f3": 11}
    estado = {f"{capas[k.split('.')[0]]}.{k.split('.')[1]}": biblioteca.from_numpy(v.copy())
              for k, v in pesos.items()}
    modelo.load_state_dict(estado)
    return modelo


def paso_biblioteca(biblioteca, pesos, x, y):
    modelo = cargar(lenet(biblioteca), biblioteca, pesos)
    opt = biblioteca.optim.SGD(modelo.parameters(), lr=LR)
    paso = paso_nn(modelo, biblioteca.nn.CrossEntropyLoss(), opt)
    xt, yt = biblioteca.from_numpy(x), biblioteca.from_numpy(y.astype(np.int64))
    return lambda: paso(xt, yt)


# --- NumPy a mano ---------------------------------------------------------------------------
def _conv_forward(x, w, b, pad):
    """im2col (C·k·k, N·oh·ow) y una GEMM; devuelve la salida (N, O, oh, ow) y las columnas."""
    if pad:
        x = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    o, c, k, _ = w.shape
    n = x.shape[0]
    ventanas = sliding_window_view(x, (k, k), axis=(2, 3))       # (N, C, oh, ow, k, k)
    oh, ow = ventanas.shape[2:4]
    cols = np.ascontiguousarray(ventanas.transpose(1, 4, 5, 0, 2, 3)).reshape(c * k * k, -1)
    y = (w.reshape(o, -1) @ cols).reshape(o, n, oh, ow).transpose(1, 0, 2, 3)
    return np.ascontiguousarray(y) + b[:, None, None], cols


def _conv_backward(g, w, cols, forma_x, pad, necesita_x):
    o, c, k, _ = w.shape
    n, _, oh, ow = g.shape
    g2 = np.ascontiguousarray(g.transpose(1, 0, 2, 3)).reshape(o, -1)
    gw = (g2 @ cols.T).reshape(w.shape)
    gb = g.sum(axis=(0, 2, 3))
    if not necesita_x:
        return None, gw, gb
    gcols = (w.reshape(o, -1).T @ g2).reshape(c, k, k, n, oh, ow)
    h, wd = forma_x[2] + 2 * pad, forma_x[3] + 2 * pad
    gx = np.zeros((n, c, h, wd), dtype=g.dtype)
    for i in range(k):
        for j in range(k):
            gx[:, :, i:i + oh, j:j + ow] += gcols[:, i, j].transpose(1, 0, 2, 3)
    return gx[:, :, pad:h - pad, pad:wd - pad], gw, gb


def _maxpool2(x):
    n, c, h, w = x.shape
    v = x.reshape(n, c, h // 2, 2, w // 2, 2)
    m = v.max(axis=(3, 5))
    mascara = v == m[:, :, :, None, :, None]
    # solo el primer máximo de cada ventana (como PyTorch) recibe el gradiente
    plano = mascara.transpose(0, 1, 2, 4, 3, 5).reshape(n, c, h // 2, w // 2, 4)
    primero = plano.argmax(axis=-1)
    return m, primero


def _maxpool2_backward(g, primero, forma):
    n, c, h, w = forma
    out = np.zeros((n, c, h // 2, w // 2, 4), dtype=g.dtype)
    np.put_along_axis(out, primero[..., None], g[..., None], axis=-1)
    return out.reshape(n, c, h // 2, w // 2, 2, 2).transpose(0, 1, 2, 4, 3, 5).reshape(forma)


def paso_numpy(pesos, x, y):
    """Un paso de SGD a mano; ``paso()`` usa el lote ``x, y`` y ``paso(xb, yb)``, otro (de
    cualquier tamaño, como el último de una época)."""
    p = {k: v.copy() for k, v in pesos.items()}

    def paso(x=x, y=y):
        lote = len(y)
        filas = np.arange(lote)
        a1, cols1 = _conv_forward(x, p["c1.weight"], p["c1.bias"], 2)
        r1 = np.maximum(a1, 0)
        m1, i1 = _maxpool2(r1)
        a2, cols2 = _conv_forward(m1, p["c2.weight"], p["c2.bias"], 0)
        r2 = np.maximum(a2, 0)
        m2, i2 = _maxpool2(r2)
        h0 = m2.reshape(lote, -1)
        h1 = np.maximum(h0 @ p["f1.weight"].T + p["f1.bias"], 0)
        h2 = np.maximum(h1 @ p["f2.weight"].T + p["f2.bias"], 0)
        z = h2 @ p["f3.weight"].T + p["f3.bias"]
        z = z - z.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        perdida = -logp[filas, y].mean()
        gz = np.exp(logp)
        gz[filas, y] -= 1
        gz /= lote
        g = {"f3.weight": gz.T @ h2, "f3.bias": gz.sum(0)}
        gh2 = (gz @ p["f3.weight"]) * (h2 > 0)
        g["f2.weight"], g["f2.bias"] = gh2.T @ h1, gh2.sum(0)
        gh1 = (gh2 @ p["f2.weight"]) * (h1 > 0)
        g["f1.weight"], g["f1.bias"] = gh1.T @ h0, gh1.sum(0)
        gm2 = (gh1 @ p["f1.weight"]).reshape(m2.shape)
        ga2 = _maxpool2_backward(gm2, i2, r2.shape) * (a2 > 0)
        gm1, g["c2.weight"], g["c2.bias"] = _conv_backward(ga2, p["c2.weight"], cols2,
                                                           m1.shape, 0, True)
        ga1 = _maxpool2_backward(gm1, i1, r1.shape) * (a1 > 0)
        _, g["c1.weight"], g["c1.bias"] = _conv_backward(ga1, p["c1.weight"], cols1, x.shape,
                                                         2, False)
        for k, v in p.items():
            v -= LR * g[k]
        return perdida
    return paso


def desglose(pesos, x, y, repeticiones=50):
    """Medianas (ms de CPU de este proceso) de cada parte del paso de tinygrad_es: forward por
    capa, backward, SGD. Tiempo de CPU y no de reloj: en una máquina compartida el reloj suma
    el tiempo en que el proceso espera su turno (con un hilo, la CPU es el trabajo hecho)."""
    modelo = cargar(lenet(tg), tg, pesos)
    opt = tg.optim.SGD(modelo.parameters(), lr=LR)
    criterio = tg.nn.CrossEntropyLoss()
    xt, yt = tg.from_numpy(x), tg.from_numpy(y.astype(np.int64))
    nombres = [f"{i}:{type(m).__name__}" for i, m in enumerate(modelo)]
    tiempos = {n: [] for n in nombres + ["pérdida", "backward", "zero_grad+step"]}
    reloj = time.process_time
    for _ in range(repeticiones):
        h = xt
        for nombre, capa in zip(nombres, modelo):
            t0 = reloj()
            h = capa(h)
            tiempos[nombre].append(reloj() - t0)
        t0 = reloj()
        perdida = criterio(h, yt)
        tiempos["pérdida"].append(reloj() - t0)
        t0 = reloj()
        perdida.backward()
        tiempos["backward"].append(reloj() - t0)
        t0 = reloj()
        opt.step()
        opt.zero_grad()
        tiempos["zero_grad+step"].append(reloj() - t0)
    return {k: statistics.median(v) * 1e3 for k, v in tiempos.items()}


def main(argv=None):
    parser = ParserEs(description=__doc__.split("\n")[0])
    parser.add_argument("--repeticiones", type=int, default=15,
                        help="turnos intercalados (15); cada turno son --bloque pasos seguidos")
    parser.add_argument("--bloque", type=int, default=10, help="pasos seguidos por turno (10)")
    opciones_medicion(parser)
    parser.add_argument("--json", action="store_true", help="salida en JSON")
    parser.add_argument("--desglose", action="store_true",
                        help="además, el tiempo de cada parte del paso de tinygrad_es")
    args = parser.parse_args(argv)
    pesos, x, y = datos()
    torch = torch_o_none()
    if torch is not None:
        # los mismos hilos que NumPy/OpenBLAS si se fijaron (OMP_NUM_THREADS=1 en una máquina
        # compartida da cifras estables); si no, todos los núcleos
        torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", os.cpu_count() or 1)))
    referencia = "NumPy a mano (im2col)"
    fabricas = {referencia: lambda: paso_numpy(pesos, x, y),
                "tinygrad_es (nn + optim.SGD)": lambda: paso_biblioteca(tg, pesos, x, y)}
    if torch is not None:
        fabricas["PyTorch CPU eager (nn + optim.SGD)"] = (
            lambda: paso_biblioteca(torch, pesos, x, y))
    candidatos, contextos = variantes(fabricas, args.hilos)
    perdidas = {}
    for nombre, f in candidatos.items():     # el mismo primer paso en todos
        with contexto_de(contextos, nombre):
            perdidas[nombre] = float(f().item())
    fallos = {}
    tiempos = medir_por_bloques(candidatos, repeticiones=args.repeticiones, bloque=args.bloque,
                                calentamiento=3, por_llamada=True, fallos=fallos,
                                pausas=pausas_tras(candidatos, args.pausa), contextos=contextos)
    medianas = {k: statistics.median(ts) for k, ts in tiempos.items()}
    pareadas = razones_pareadas(tiempos, referencia, args.bloque)
    titulo = f"Paso de entrenamiento LeNet-5, lote {LOTE}×1×28×28, float32, SGD"
    partes = desglose(pesos, x, y) if args.desglose else None
    if args.json:
        imprimir(titulo, medianas, referencia, como_json=True,
                 extra={"razones_pareadas": pareadas, "primera_perdida": perdidas,
                        "fallos_pagina_por_paso": fallos, "desglose_ms": partes,
                        "medicion": datos_medicion(args.pausa, args.hilos)})
        return
    imprimir(titulo, medianas, referencia, pareadas=pareadas)
    print(texto_medicion(args.pausa, args.hilos))
    for sufijo in ("", UN_HILO):
        nombre_torch = "PyTorch CPU eager (nn + optim.SGD)" + sufijo
        if nombre_torch in medianas:
            t = medianas["tinygrad_es (nn + optim.SGD)" + sufijo]
            print(f"  tinygrad_es / PyTorch eager{sufijo}: {t / medianas[nombre_torch]:.2f}x")
    print("  Primera pérdida: " + "; ".join(f"{k} {v:.6f}" for k, v in perdidas.items()))
    if fallos:
        print("  Fallos de página por paso: " + "; ".join(f"{k} {v:.0f}" for k, v in
                                                        fallos.items()))
        print("  (cada fallo es una página de 4 KiB que malloc pidió de nuevo al sistema; "
              f"malloc de este proceso: {tg._allocator.status}; los tres candidatos comparten "
              "proceso y por tanto malloc)")
    if partes:
        print("Desglose de tinygrad_es (mediana, ms de CPU):")
        for k, v in partes.items():
            print(f"  {k:<24} {v:8.3f}")


if __name__ == "__main__":
    main()
