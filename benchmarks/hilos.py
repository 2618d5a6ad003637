"""Los ejemplos del curso en una máquina libre y en una cargada, con cada elección de hilos.

Mide el tiempo de pared de ejemplos enteros (procesos nuevos, como los lanza un estudiante)
con tres elecciones de hilos de la BLAS:
- «política por defecto»: sin variables; tinygrad_es decide (``tinygrad_es/_threads.py``: un
  hilo y todos solo para los productos grandes);
- «1 hilo»: ``OPENBLAS_NUM_THREADS=1`` (y OMP/MKL);
- «todos los hilos»: ``OPENBLAS_NUM_THREADS=<núcleos>``, lo que hacía tinygrad_es antes de la
  política (lo que hace NumPy por defecto).

y dos estados de la máquina: «libre» (lo que haya) y «cargada»: el propio script arranca un
proceso de Python que gira sin parar por núcleo (lo que es un JupyterHub de clase o un servidor
compartido) y los para al terminar. Para cada ejemplo y estado, el cociente de cada elección
frente a la mejor. Objetivo (#20): la política por defecto, nunca más de ~1,3x la mejor en la
máquina cargada y no más lenta que «todos los hilos» (lo de antes) en la libre.

Las elecciones se intercalan con el orden rotando en cada repetición y una pausa entre
ejecuciones (``--pausa``); además del cociente frente a la mejor, el pareado: en cada
repetición, cada elección frente a la política por defecto. Se imprime la carga media al
empezar cada estado.

Uso: python benchmarks/hilos.py [--repeticiones 2] [--ejemplos 03_mnist_mlp.py ...]
                                [--pausa 0.3] [--json]
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _comun import (datos_extra, maquina_completa, razones_pareadas, tabla,  # noqa: E402
                    texto_maquina, volcar_json)

RAIZ = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EJEMPLOS = {"02_xor_mlp.py": ["--sin-grafos"], "03_mnist_mlp.py": [],
            "08_mnist_cnn.py": ["--rapido"]}
NUCLEOS = os.cpu_count() or 1
VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS")


def entorno(hilos):
    env = {k: v for k, v in os.environ.items() if k not in VARIABLES}
    env.update(MPLBACKEND="Agg", PYTHONPATH=os.pathsep.join(
        p for p in (os.path.join(RAIZ, "src"), os.environ.get("PYTHONPATH")) if p))
    if hilos is not None:
        env.update({k: str(hilos) for k in VARIABLES})
    return env


ELECCIONES = {"política por defecto": None, "1 hilo": 1, f"todos los hilos ({NUCLEOS})": NUCLEOS}


def ejecutar(ejemplo, hilos, salida):
    orden = [sys.executable, os.path.join(RAIZ, "examples", ejemplo), "--salida", salida,
             *EJEMPLOS.get(ejemplo, [])]
    t0 = time.perf_counter()
    subprocess.run(orden, env=entorno(hilos), cwd=RAIZ, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


class Carga:
    """Un proceso que gira sin parar por núcleo, mientras dura el bloque ``with``."""

    def __enter__(self):
        self.procesos = [subprocess.Popen([sys.executable, "-c", "while True: pass"])
                         for _ in range(NUCLEOS)]
        time.sleep(1.0)
        return self

    def __exit__(self, *exc):
        for p in self.procesos:
            p.kill()
        for p in self.procesos:
            p.wait()
        time.sleep(1.0)


def medir(ejemplos, repeticiones, salida, pausa):
    """{estado: {ejemplo: {elección: [segundos...]}}} y la carga media al empezar cada estado.
    Las elecciones se intercalan, su orden rota en cada repetición y entre dos ejecuciones hay
    ``pausa`` segundos sin medir."""
    resultados, cargas = {}, {}
    nombres = list(ELECCIONES)
    for estado in ("libre", "cargada"):
        tiempos = {e: {n: [] for n in ELECCIONES} for e in ejemplos}
        with (Carga() if estado == "cargada" else _nada()):
            cargas[estado] = datos_extra()["carga_media_1_5_15min"]
            for repeticion in range(repeticiones):
                inicio = repeticion % len(nombres)
                for ejemplo in ejemplos:
                    for nombre in nombres[inicio:] + nombres[:inicio]:
                        tiempos[ejemplo][nombre].append(
                            ejecutar(ejemplo, ELECCIONES[nombre], salida))
                        time.sleep(pausa)
        resultados[estado] = tiempos
    return resultados, cargas


class _nada:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        pass


def main(argv=None):
    sys.path.insert(0, os.path.join(RAIZ, "src"))
    from tinygrad_es.utils.cli import ParserEs
    parser = ParserEs(description=__doc__.split("\n")[0])
    parser.add_argument("--repeticiones", type=int, default=2, help="ejecuciones de cada caso (2)")
    parser.add_argument("--ejemplos", nargs="+", default=list(EJEMPLOS), help="ejemplos a medir")
    parser.add_argument("--pausa", type=float, default=0.3,
                        help="segundos sin medir entre dos ejecuciones (0.3)")
    parser.add_argument("--json", action="store_true", help="salida en JSON")
    args = parser.parse_args(argv)
    maquina = maquina_completa()
    with tempfile.TemporaryDirectory() as salida:
        resultados, cargas = medir(args.ejemplos, args.repeticiones, salida, args.pausa)
    medianas = {estado: {e: {n: statistics.median(ts) for n, ts in por_eleccion.items()}
                         for e, por_eleccion in por_ejemplo.items()}
                for estado, por_ejemplo in resultados.items()}
    cocientes = {estado: {e: {n: t / min(m.values()) for n, t in m.items()}
                          for e, m in por_ejemplo.items()}
                 for estado, por_ejemplo in medianas.items()}
    # pareado: en cada repetición, cada elección frente a la política por defecto de esa misma
    # repetición (ejecutadas a segundos de distancia)
    pareados = {estado: {e: {n: p["mediana"] for n, p in
                             razones_pareadas(por_eleccion, "política por defecto").items()}
                         for e, por_eleccion in por_ejemplo.items()}
                for estado, por_ejemplo in resultados.items()}
    if args.json:
        volcar_json("Ejemplos con cada elección de hilos, máquina libre y cargada",
                    maquina=maquina, medianas_s=medianas, cocientes_frente_a_la_mejor=cocientes,
                    pareados_frente_a_la_politica=pareados, carga_media_al_empezar=cargas,
                    repeticiones=args.repeticiones, pausa_s=args.pausa)
        return
    print("== Ejemplos con cada elección de hilos, máquina libre y cargada ==")
    print("\n".join(texto_maquina(maquina)))
    for estado in medianas:
        extra = (f" ({NUCLEOS} procesos ocupados lanzados por el script)"
                 if estado == "cargada" else "")
        carga = ", ".join(str(c) for c in cargas[estado] or ())
        print(f"\nMáquina {estado}{extra}, carga media al empezar {carga}: mediana de "
              f"{args.repeticiones} ejecuciones, s (cociente frente a la mejor elección; "
              "pareado frente a la política por defecto)")
        filas = [(e, *(f"{t:.2f} s ({cocientes[estado][e][n]:.2f}x; "
                       f"{pareados[estado][e][n]:.2f}x)" for n, t in m.items()))
                 for e, m in medianas[estado].items()]
        print("\n".join(tabla(("ejemplo", *ELECCIONES), filas)))


if __name__ == "__main__":
    main()
