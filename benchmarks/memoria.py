"""Memoria a lo largo de 10.000 pasos de entrenamiento del MLP 784-128-64-10 (lote 64).

Entrena con tinygrad_es (nn.Linear/ReLU/LogSoftmax, NLLLoss y SGD o Adam) sobre lotes
sintéticos y, cada ``--cada`` pasos (1.000 por defecto), anota:
- la memoria que sigue reservada según ``tracemalloc`` (incluye los arrays de NumPy) y su pico;
- la memoria residente del proceso (RSS, de /proc/self/statm);
- los tensores de tinygrad_es vivos y los objetos que tuvo que liberar el recolector de ciclos.
Si el grafo se libera bien tras cada paso, la memoria queda plana: el crecimiento entre la
primera muestra (paso 1.000) y la última (paso 10.000) debe ser ~0.

``tracemalloc`` hace más lento el entrenamiento: aquí no se mide tiempo.

Uso: python benchmarks/memoria.py [--pasos 10000] [--cada 1000] [--optimizador sgd|adam] [--json]
"""
import gc
import os
import sys
import tracemalloc

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _comun import (maquina_completa, mlp, paso_nn, pesos_mlp, raiz_en_path,  # noqa: E402
                    tabla, texto_maquina, volcar_json)

raiz_en_path()
import tinygrad_es as tg  # noqa: E402
from tinygrad_es.utils.cli import ParserEs  # noqa: E402
import tinygrad_es.nn as nn  # noqa: E402
import tinygrad_es.optim as optim  # noqa: E402

LOTE, LOTES_DISTINTOS = 64, 16
UMBRAL_BYTES_POR_PASO = 16      # por debajo, la memoria se considera plana


def rss_bytes():
    """Memoria residente actual; sin /proc, el pico que da ``resource`` (en Linux, KiB)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE"), "actual"
    except (OSError, ValueError, AttributeError):
        import resource
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, "pico"


def recolectados():
    return sum(s["collected"] for s in gc.get_stats())


def tensores_vivos():
    return sum(1 for o in gc.get_objects() if isinstance(o, tg.Tensor))


COLUMNAS = ("paso", "tracemalloc_actual", "tracemalloc_pico", "rss", "tensores_vivos",
            "recolectados_por_gc")


def anotar(fila, paso, recolectados_inicio):
    """Escribe una muestra en una fila de un array reservado antes de empezar a medir (así
    las propias anotaciones no cuentan como memoria que crece)."""
    actual, pico = tracemalloc.get_traced_memory()
    fila[:] = (paso, actual, pico, rss_bytes()[0], tensores_vivos(),
               recolectados() - recolectados_inicio)


def entrenar(pasos, cada, optimizador):
    rng = np.random.default_rng(0)
    lotes = [(tg.from_numpy(rng.random((LOTE, 784), dtype=np.float32)),
              tg.from_numpy(rng.integers(0, 10, LOTE)))
             for _ in range(LOTES_DISTINTOS)]
    modelo = mlp(tg, pesos_mlp())
    criterio = nn.NLLLoss()
    opt = (optim.Adam(modelo.parameters(), lr=1e-3) if optimizador == "adam"
           else optim.SGD(modelo.parameters(), lr=0.01))
    paso_entrenamiento = paso_nn(modelo, criterio, opt)
    registro = np.zeros((pasos // cada, len(COLUMNAS)), dtype=np.int64)
    perdidas = np.zeros(pasos // cada)
    anotar(registro[0], 0, 0)       # primera llamada fuera de la medición (cachés de E/S)
    tracemalloc.start()
    inicio_gc = recolectados()
    for paso in range(1, pasos + 1):
        perdida = paso_entrenamiento(*lotes[paso % LOTES_DISTINTOS])
        if paso % cada == 0:
            i = paso // cada - 1
            anotar(registro[i], paso, inicio_gc)
            perdidas[i] = perdida.item()
    tracemalloc.stop()
    tipo_rss = rss_bytes()[1]
    return [{**{c: int(v) for c, v in zip(COLUMNAS, fila)}, "tipo_rss": tipo_rss,
             "perdida": float(p)} for fila, p in zip(registro, perdidas)]


def crecimiento(muestras):
    primera, ultima = muestras[0], muestras[-1]
    pasos = ultima["paso"] - primera["paso"]
    datos = {"desde_paso": primera["paso"], "hasta_paso": ultima["paso"]}
    for clave in ("tracemalloc_actual", "rss", "tensores_vivos"):
        datos[clave] = ultima[clave] - primera[clave]
    datos["tracemalloc_bytes_por_paso"] = datos["tracemalloc_actual"] / pasos if pasos else 0.0
    datos["plana"] = abs(datos["tracemalloc_bytes_por_paso"]) < UMBRAL_BYTES_POR_PASO
    return datos


def kib(n):
    return f"{n / 1024:,.1f}".replace(",", " ")


def main(argv=None):
    parser = ParserEs(description=__doc__.split("\n")[0])
    parser.add_argument("--pasos", type=int, default=10000, help="pasos de entrenamiento")
    parser.add_argument("--cada", type=int, default=None,
                        help="pasos entre muestras (por defecto, pasos / 10)")
    parser.add_argument("--optimizador", choices=("sgd", "adam"), default="sgd")
    parser.add_argument("--json", action="store_true", help="salida en JSON")
    args = parser.parse_args(argv)
    cada = args.cada or max(1, args.pasos // 10)
    if args.pasos < cada:
        parser.error(f"--pasos ({args.pasos}) debe ser al menos --cada ({cada}) para tener "
                     "una muestra.")

    muestras = entrenar(args.pasos, cada, args.optimizador)
    resultado = crecimiento(muestras)
    titulo = (f"Memoria en {args.pasos} pasos del MLP 784-128-64-10, lote {LOTE}, "
              f"{args.optimizador.upper()}, datos sintéticos")
    if args.json:
        volcar_json(titulo, parametros={"pasos": args.pasos, "cada": cada, "lote": LOTE,
                                        "optimizador": args.optimizador},
                    muestras=muestras, crecimiento=resultado)
        return
    print(f"== {titulo} ==")
    print("\n".join(texto_maquina(maquina_completa())))
    filas = [(m["paso"], kib(m["tracemalloc_actual"]), kib(m["tracemalloc_pico"]),
              kib(m["rss"]), m["tensores_vivos"], m["recolectados_por_gc"], f"{m['perdida']:.4f}")
             for m in muestras]
    print("\n".join(tabla(("paso", "tracemalloc KiB", "pico KiB", "RSS KiB", "tensores vivos",
                           "liberados por gc", "pérdida"), filas)))
    r = resultado
    print(f"Crecimiento del paso {r['desde_paso']} al {r['hasta_paso']}: tracemalloc "
          f"{r['tracemalloc_actual']:+d} B ({r['tracemalloc_bytes_por_paso']:+.2f} B/paso), "
          f"RSS {r['rss']:+d} B, tensores vivos {r['tensores_vivos']:+d}")
    veredicto = "plana" if r["plana"] else "CRECE"
    print(f"Memoria {veredicto} (umbral: {UMBRAL_BYTES_POR_PASO} B/paso según tracemalloc)")


if __name__ == "__main__":
    main()
