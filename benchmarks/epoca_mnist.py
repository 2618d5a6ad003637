"""Una época completa del MLP del curso (784-128-64-10) con DataLoader (lote 64, barajado).

Compara, en una misma ejecución:
- NumPy escrito a mano: baraja con una permutación y recorre los lotes por índice;
- tinygrad_es como en el curso: TensorDataset + DataLoader(batch_size=64, shuffle=True),
  nn.Linear/ReLU/LogSoftmax, NLLLoss y optim.SGD;
- tinygrad_es con el mismo indexado a mano que NumPy (separa el coste del DataLoader);
- PyTorch en CPU con su propio DataLoader (si está instalado), con el mismo código.

Los datos son SINTÉTICOS con la forma y el tipo de MNIST (784 valores float32 en [0, 1) por
muestra, etiquetas enteras 0-9): el tiempo de una época no depende de los valores.

Intercalado por trozos: las épocas de todos los candidatos avanzan a la vez, ``--trozo`` lotes
cada una por turno (a, b, c, a, b, c...), con una pausa sin medir tras cada turno (``--pausa``
tras los de PyTorch, la sexta parte tras los demás); el tiempo de una época es la suma de sus
turnos. Así, si la máquina (compartida) se frena unos segundos, el frenazo cae sobre todos
los candidatos y no sobre la época de uno solo. El orden de los candidatos rota en cada
repetición (a, b, c; b, c, a...): el que va detrás de otro paga los hilos de BLAS y la caché
que este deja, y así no es siempre el mismo. Con ``--hilos ambos`` (por defecto), cada
candidato también con un hilo (instancias aparte, intercaladas con las de hilos por defecto).

Uso: python benchmarks/epoca_mnist.py [--muestras 60000] [--repeticiones 7] [--trozo 100]
                                       [--pausa 0.3] [--hilos defecto|1|ambos] [--json]
"""
import importlib
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _comun import (aviso_ruido, contexto_de, datos_medicion, gradientes_numpy,  # noqa: E402
                    maquina_completa, mlp, opciones_medicion, paso_nn, pausas_tras, pesos_mlp,
                    raiz_en_path, razones, razones_pareadas, resumir, sgd_numpy, tabla,
                    texto_maquina, texto_medicion, torch_o_none, variantes, volcar_json)

raiz_en_path()
import tinygrad_es as tg  # noqa: E402
from tinygrad_es.utils.cli import ParserEs  # noqa: E402

LOTE, LR, OBJETIVO = 64, 0.01, 1.2
REFERENCIA = "NumPy a mano"
TG_CARGADOR = "tinygrad_es (DataLoader, nn, SGD)"


def datos_sinteticos(muestras, semilla=0):
    """Imágenes aplanadas float32 en [0, 1) y etiquetas int64, con la forma de MNIST."""
    rng = np.random.default_rng(semilla)
    return rng.random((muestras, 784), dtype=np.float32), rng.integers(0, 10, muestras)


def paso_numpy(params, xb, yb):
    """Un paso de SGD escrito a mano en NumPy."""
    perdida, grads = gradientes_numpy(params, xb, yb)
    sgd_numpy(params, grads, LR)
    return perdida


def lotes_por_indices(rng, X, y, convertir=None):
    """Los lotes de una época barajada con una permutación de NumPy e indexado a mano."""
    perm = rng.permutation(len(X))
    for inicio in range(0, len(X), LOTE):
        idx = perm[inicio:inicio + LOTE]
        xb, yb = X[idx], y[idx]
        yield (xb, yb) if convertir is None else (convertir(xb), convertir(yb))


def recorrer(lotes, paso, trozo):
    """Da un ``paso`` con cada lote, cede el turno cada ``trozo`` lotes y devuelve la pérdida
    media de la época."""
    total, n = 0.0, 0
    for xb, yb in lotes:
        total += paso(xb, yb).item()   # como en el bucle del curso (también vale en NumPy)
        n += 1
        if n % trozo == 0:
            yield
    return total / n


def epoca_numpy(capas, X, y):
    params = [[w.copy(), b.copy()] for w, b in capas]
    rng = np.random.default_rng(1)

    def paso(xb, yb):
        return paso_numpy(params, xb, yb)
    return lambda trozo: recorrer(lotes_por_indices(rng, X, y), paso, trozo)


def epoca_biblioteca(torch, capas, X, y):
    """El bucle del curso con su DataLoader, para ``torch`` y para ``tinygrad_es as torch``."""
    datos = importlib.import_module(torch.__name__ + ".utils.data")
    torch.manual_seed(1)
    modelo = mlp(torch, capas)
    paso = paso_nn(modelo, torch.nn.NLLLoss(), torch.optim.SGD(modelo.parameters(), lr=LR))
    # generador propio: cada candidato (y su variante de un hilo) baraja igual, sin depender
    # de cuándo empiezan las épocas de los demás
    cargador = datos.DataLoader(datos.TensorDataset(torch.from_numpy(X), torch.from_numpy(y)),
                                batch_size=LOTE, shuffle=True,
                                generator=torch.Generator().manual_seed(1))
    return lambda trozo: recorrer(cargador, paso, trozo)


def epoca_tinygrad_indices(capas, X, y):
    """tinygrad_es sin DataLoader: la misma permutación e indexado que el bucle de NumPy."""
    modelo = mlp(tg, capas)
    paso = paso_nn(modelo, tg.nn.NLLLoss(), tg.optim.SGD(modelo.parameters(), lr=LR))
    rng = np.random.default_rng(1)
    return lambda trozo: recorrer(lotes_por_indices(rng, X, y, tg.from_numpy), paso, trozo)


def medir_epocas(epocas, repeticiones, trozo, pausas=None, contextos=None):
    """Una época de calentamiento y ``repeticiones`` medidas por candidato, intercaladas por
    trozos, con ``pausas[nombre]`` segundos sin medir tras cada trozo de ese candidato
    (``_comun.pausas_tras``) y su gestor de contexto (``contextos``, como ``_comun.un_hilo``)
    alrededor de cada trozo. Devuelve los tiempos de cada época y la pérdida media de la
    última."""
    pausas = pausas or {}
    tiempos = {nombre: [] for nombre in epocas}
    perdidas = {}
    nombres = list(epocas)
    for repeticion in range(repeticiones + 1):
        # el orden rota en cada repetición: ningún candidato va siempre detrás del mismo
        # (el que va detrás de otro paga los hilos y la caché que este deja)
        orden = nombres[repeticion % len(nombres):] + nombres[:repeticion % len(nombres)]
        activas = {nombre: epocas[nombre](trozo) for nombre in orden}
        suma = dict.fromkeys(epocas, 0.0)
        while activas:
            for nombre, generador in list(activas.items()):
                with contexto_de(contextos, nombre):
                    t0 = time.perf_counter()
                    try:
                        next(generador)
                    except StopIteration as fin:
                        perdidas[nombre] = fin.value
                        del activas[nombre]
                    suma[nombre] += time.perf_counter() - t0
                if pausas.get(nombre):
                    time.sleep(pausas[nombre])
        if repeticion:      # la primera es de calentamiento
            for nombre, t in suma.items():
                tiempos[nombre].append(t)
    return tiempos, perdidas


def medir_y_resumir(fabricas, referencia, args):
    """Las variantes de ``--hilos`` de cada candidato, medidas con ``medir_epocas``; devuelve
    tiempos, pérdidas, resumen, medianas, cocientes y cocientes pareados (época a época)."""
    candidatos, contextos = variantes(fabricas, args.hilos)
    tiempos, perdidas = medir_epocas(candidatos, args.repeticiones, max(1, args.trozo),
                                     pausas_tras(candidatos, args.pausa), contextos)
    resumen = resumir(tiempos)
    medianas = {n: r["mediana"] for n, r in resumen.items()}
    return (tiempos, perdidas, resumen, medianas, razones(medianas, referencia),
            razones_pareadas(tiempos, referencia))


def main(argv=None):
    parser = ParserEs(description=__doc__.split("\n")[0])
    parser.add_argument("--muestras", type=int, default=60000,
                        help="muestras por época (60000 como MNIST)")
    parser.add_argument("--repeticiones", type=int, default=7,
                        help="épocas medidas por candidato (más una de calentamiento)")
    parser.add_argument("--trozo", type=int, default=100,
                        help="lotes que avanza cada candidato por turno")
    opciones_medicion(parser)
    parser.add_argument("--json", action="store_true", help="salida en JSON")
    args = parser.parse_args(argv)

    X, y = datos_sinteticos(args.muestras)
    capas = pesos_mlp()
    fabricas = {
        REFERENCIA: lambda: epoca_numpy(capas, X, y),
        TG_CARGADOR: lambda: epoca_biblioteca(tg, capas, X, y),
        "tinygrad_es (indexado a mano, nn, SGD)": lambda: epoca_tinygrad_indices(capas, X, y),
    }
    torch = torch_o_none()
    if torch is not None:
        fabricas["PyTorch CPU (DataLoader, nn, SGD)"] = lambda: epoca_biblioteca(torch, capas,
                                                                                 X, y)
    _, perdidas, resumen, medianas, cocientes, pareadas = medir_y_resumir(fabricas, REFERENCIA,
                                                                         args)
    objetivos = {n: {"razon_maxima": OBJETIVO, "razon": cocientes[n],
                     "razon_pareada": pareadas[n]["mediana"],
                     "cumple": pareadas[n]["mediana"] <= OBJETIVO}
                 for n in medianas if n.startswith(TG_CARGADOR)}
    objetivo = {"candidato": TG_CARGADOR, **next(iter(objetivos.values())),
                "por_variante": objetivos}
    titulo = (f"Época completa del MLP 784-128-64-10: {args.muestras} muestras sintéticas con "
              f"forma de MNIST, lote {LOTE}, barajado, SGD")
    if args.json:
        volcar_json(titulo, parametros={"muestras": args.muestras, "lote": LOTE, "lr": LR,
                                        "repeticiones": args.repeticiones,
                                        "trozo_lotes": args.trozo,
                                        "datos": "sintéticos (forma y dtype de MNIST)",
                                        **datos_medicion(args.pausa, args.hilos)},
                    medianas_s=medianas, resumen=resumen, referencia=REFERENCIA,
                    razones=cocientes, razones_pareadas=pareadas,
                    perdida_media_ultima_epoca=perdidas, objetivo=objetivo)
        return
    print(f"== {titulo} ==")
    print("\n".join(texto_maquina(maquina_completa())))
    print(texto_medicion(args.pausa, args.hilos))
    print(f"Medianas de {args.repeticiones} épocas por candidato, intercaladas por trozos de "
          f"{args.trozo} lotes:")
    filas = [(n, f"{r['mediana']:.3f} s", f"{r['p10']:.3f}-{r['p90']:.3f} s",
              f"{cocientes[n]:.2f}x", f"{pareadas[n]['mediana']:.2f}x", f"{perdidas[n]:.4f}")
             for n, r in resumen.items()]
    print("\n".join(tabla(("candidato", "mediana", "p10-p90", f"vs {REFERENCIA}",
                           "pareado", "pérdida media"), filas)))
    print("«pareado»: mediana, época a época, del cociente frente a la época de NumPy medida "
          "a la vez (por trozos intercalados); la cifra menos sensible al ruido de la máquina.")
    for nombre, o in objetivos.items():
        veredicto = "cumple" if o["cumple"] else "NO cumple"
        print(f"Objetivo: {nombre} <= {OBJETIVO:.2f}x {REFERENCIA} (pareado): {veredicto} "
              f"({o['razon_pareada']:.2f}x)")
    aviso = aviso_ruido(resumen)
    if aviso:
        print(aviso)


if __name__ == "__main__":
    main()
