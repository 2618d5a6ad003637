"""Utilidades comunes de los benchmarks: datos de la máquina y medianas intercaladas."""
import contextlib
import json
import os
import platform
import statistics
import sys
import time

import numpy as np

try:
    import resource   # fallos de página (solo en Unix)
except ImportError:
    resource = None


def datos_maquina():
    """Lo que mueve las cifras: CPU, núcleos, BLAS de NumPy y sus hilos."""
    info = {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "cpu": platform.processor() or platform.machine(),
        "nucleos": os.cpu_count(),
        "variables": {k: v for k, v in os.environ.items()
                      if k.startswith(("OPENBLAS", "OMP_", "MKL_"))},
    }
    try:
        from threadpoolctl import threadpool_info
        info["blas"] = [{"biblioteca": p.get("internal_api"), "hilos": p.get("num_threads"),
                         "arquitectura": p.get("architecture")} for p in threadpool_info()]
    except ImportError:
        info["blas"] = "threadpoolctl no instalado"
    return info


def imprimir(titulo, medianas, referencia, como_json=False, extra=None, pareadas=None):
    """Tabla de medianas y cocientes frente a ``referencia`` (la variante de un hilo, frente a
    la de un hilo de la referencia); con ``pareadas`` (de ``razones_pareadas``), también la
    mediana de los cocientes turno a turno y su p25-p75."""
    if como_json:
        print(json.dumps({"benchmark": titulo, "medianas_s": medianas,
                          "referencia": referencia, "maquina": maquina_completa(),
                          **(extra or {})}, indent=2, ensure_ascii=False))
        return
    print(f"== {titulo} ==")
    print("\n".join(texto_maquina(maquina_completa())))
    cocientes = razones(medianas, referencia)
    for nombre, t in medianas.items():
        linea = f"  {nombre:<46} {t * 1e3:9.3f} ms   {cocientes[nombre]:5.2f}x"
        if pareadas and nombre != referencia_de(nombre, referencia, medianas):
            p = pareadas[nombre]
            linea += f"   pareado {p['mediana']:.2f}x (p25-p75 {p['p25']:.2f}-{p['p75']:.2f})"
        print(linea)


def razones_pareadas(tiempos, referencia, bloque=1):
    """Cocientes turno a turno: en cada turno, la mediana de las ``bloque`` llamadas de cada
    candidato entre la de la referencia en ese mismo turno (medidas a segundos de distancia).

    ``tiempos`` es la salida de ``medir_por_bloques(..., por_llamada=True)`` (con ``bloque``
    llamadas por turno) o una lista de un tiempo por turno o por época (``bloque=1``). Si la
    máquina se frena durante unos segundos, el frenazo cae sobre un turno de todos los
    candidatos y el cociente de ese turno apenas cambia: es la cifra menos sensible al ruido de
    una máquina compartida. Cada variante de un hilo se compara con la de un hilo de la
    referencia. Devuelve, por candidato, la mediana, p25 y p75 de los cocientes.
    """
    def medianas_por_turno(ts):
        return [statistics.median(ts[i:i + bloque]) for i in range(0, len(ts), bloque)]
    por_turno = {nombre: medianas_por_turno(ts) for nombre, ts in tiempos.items()}
    resultado = {}
    for nombre, ts in por_turno.items():
        base = por_turno[referencia_de(nombre, referencia, tiempos)]
        cocientes = [t / b for t, b in zip(ts, base)]
        cuartiles = (statistics.quantiles(cocientes, n=4, method="inclusive")
                     if len(cocientes) > 1 else [cocientes[0]] * 3)
        resultado[nombre] = {"mediana": statistics.median(cocientes), "p25": cuartiles[0],
                             "p75": cuartiles[2], "turnos": len(cocientes)}
    return resultado


# --- Añadidos para epoca_mnist, sobrecarga_ops, grafo_profundo y memoria -----------------
# (no cambian lo anterior: funciones nuevas que esos scripts comparten)

TAMANOS_MLP = (784, 128, 64, 10)


def raiz_en_path():
    """Permite ejecutar los scripts desde el repositorio sin instalar el paquete."""
    import sys
    raiz = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src")
    if raiz not in sys.path:
        sys.path.insert(0, raiz)


def torch_o_none():
    """El módulo torch si está instalado (sin tocar sus hilos ni las variables de BLAS)."""
    try:
        import torch
    except ImportError:
        return None
    return torch


def datos_extra():
    """Más hechos que mueven las cifras: modelo de CPU, carga media y PyTorch (si se importó)."""
    import sys
    extra = {"modelo_cpu": None, "carga_media_1_5_15min": None, "torch": None}
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            extra["modelo_cpu"] = next((linea.split(":", 1)[1].strip() for linea in f
                                        if linea.startswith("model name")), None)
    except OSError:
        pass
    if hasattr(os, "getloadavg"):
        extra["carga_media_1_5_15min"] = [round(c, 2) for c in os.getloadavg()]
    torch = sys.modules.get("torch")
    if torch is not None:
        extra["torch"] = {"version": torch.__version__, "hilos": torch.get_num_threads()}
    return extra


def maquina_completa():
    return {**datos_maquina(), **datos_extra()}


def texto_maquina(maquina):
    """Líneas legibles con los datos de ``maquina_completa()``."""
    blas = maquina["blas"]
    if isinstance(blas, list):
        blas = ", ".join(f"{b['biblioteca']} ({b['hilos']} hilos"
                         + (f", {b['arquitectura']})" if b.get("arquitectura") else ")")
                         for b in blas)
    variables = ", ".join(f"{k}={v}" for k, v in maquina["variables"].items()) or "ninguna"
    lineas = [f"Python {maquina['python']}, NumPy {maquina['numpy']}, "
              f"CPU {maquina.get('modelo_cpu') or maquina['cpu']}, {maquina['nucleos']} núcleos",
              f"BLAS y OpenMP (threadpoolctl): {blas}",
              f"Variables OPENBLAS_*/OMP_*/MKL_*: {variables}"]
    if maquina.get("torch"):
        lineas.append(f"PyTorch {maquina['torch']['version']}, "
                      f"{maquina['torch']['hilos']} hilos intra-op")
    if maquina.get("carga_media_1_5_15min"):
        lineas.append("Carga media del sistema (1, 5, 15 min): "
                      + ", ".join(str(c) for c in maquina["carga_media_1_5_15min"]))
    return lineas


def medir_por_bloques(funciones, repeticiones=30, bloque=1, calentamiento=1, por_llamada=False,
                      fallos=None, pausas=None, contextos=None):
    """Turnos intercalados (a, b, c; b, c, a; ...) en los que cada función se llama ``bloque``
    veces seguidas; devuelve, por función, la lista de tiempos por llamada: la media de cada
    turno o, con ``por_llamada=True``, el tiempo de cada llamada suelta.

    Los bloques evitan medir el cambio de una biblioteca a otra en cada llamada: con dos
    núcleos, los hilos de OpenBLAS (NumPy) y los de OpenMP (PyTorch) que esperan activamente
    se estorban, y en un paso del MLP intercalado llamada a llamada NumPy llegó a tardar 10-100
    veces más que solo. Para pasos de ~1 ms, bloques de 20 o más llamadas y la mediana de las
    llamadas sueltas (``por_llamada=True``) dan cifras estables. ``pausas`` (de
    ``pausas_tras``: segundos sin medir por candidato) deja que esos hilos se duerman tras el
    bloque de cada candidato, más tiempo tras los de PyTorch. ``contextos`` (por candidato, una
    función que da un gestor de contexto, como ``un_hilo``) envuelve el calentamiento y cada
    bloque de ese candidato; entrar y salir queda fuera del tiempo medido.

    Si se da un dict ``fallos`` (y el sistema es Unix), se llena con los fallos de página
    menores por llamada de cada función durante la medición: un array grande recién pedido puede
    venir de memoria que el sistema da de nuevo (``mmap``), una página de 4 KiB por fallo. Cuántos
    hay depende de la historia del proceso (el umbral de ``malloc`` sube al liberar un bloque
    grande), y explica saltos de tiempo que el código no explica.
    """
    contextos = contextos or {}
    pausas = pausas or {}
    for nombre, f in funciones.items():
        with contexto_de(contextos, nombre):
            for _ in range(calentamiento):
                f()
    contar_fallos = fallos is not None and resource is not None
    if contar_fallos:
        fallos.update({nombre: 0 for nombre in funciones})
    reloj = time.perf_counter
    tiempos = {nombre: [] for nombre in funciones}
    nombres = list(funciones)
    for turno in range(repeticiones):
        # el orden rota en cada turno: ningún candidato va siempre detrás del mismo
        inicio = turno % len(nombres)
        for nombre in nombres[inicio:] + nombres[:inicio]:
            f = funciones[nombre]
            with contexto_de(contextos, nombre):
                if contar_fallos:
                    antes = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
                if por_llamada:
                    lista = tiempos[nombre]
                    for _ in range(bloque):
                        t0 = reloj()
                        f()
                        lista.append(reloj() - t0)
                else:
                    t0 = reloj()
                    for _ in range(bloque):
                        f()
                    tiempos[nombre].append((reloj() - t0) / bloque)
                if contar_fallos:
                    fallos[nombre] += ((resource.getrusage(resource.RUSAGE_SELF).ru_minflt
                                        - antes) / (bloque * repeticiones))
            if pausas.get(nombre):
                time.sleep(pausas[nombre])
    return tiempos


def resumir(tiempos):
    """Mediana, mínimo, percentiles 10 y 90 y dispersión ((p75 - p25) / mediana) de cada lista."""
    resumen = {}
    for nombre, ts in tiempos.items():
        mediana = statistics.median(ts)
        if len(ts) >= 2:
            cuartiles = statistics.quantiles(ts, n=4, method="inclusive")
            deciles = statistics.quantiles(ts, n=10, method="inclusive")
            p10, p90, iqr = deciles[0], deciles[-1], cuartiles[2] - cuartiles[0]
        else:
            p10 = p90 = mediana
            iqr = 0.0
        resumen[nombre] = {"mediana": mediana, "minimo": min(ts), "p10": p10, "p90": p90,
                           "dispersion": iqr / mediana if mediana else 0.0, "n": len(ts)}
    return resumen


def razones(medianas, referencia):
    """Cociente de cada mediana entre la de ``referencia`` (la de un hilo, para las variantes
    de un hilo)."""
    return {nombre: t / medianas[referencia_de(nombre, referencia, medianas)]
            for nombre, t in medianas.items()}


def aviso_ruido(resumen, umbral=0.25):
    """Texto de aviso si alguna medición tiene una dispersión relativa mayor que ``umbral``."""
    ruidosas = [n for n, r in resumen.items() if r["dispersion"] > umbral]
    if not ruidosas:
        return None
    return (f"Aviso: medición ruidosa ({', '.join(ruidosas)}: dispersión > {umbral:.0%}); "
            "la máquina estaba ocupada. Repite la ejecución con la máquina libre.")


def volcar_json(titulo, **datos):
    """La salida ``--json`` común: título, datos de la máquina y lo que mida cada script."""
    print(json.dumps({"benchmark": titulo, "maquina": maquina_completa(), **datos},
                     indent=2, ensure_ascii=False))


def pesos_mlp(seed=0, tamanos=TAMANOS_MLP):
    """Pesos iniciales float32 del MLP, con la inicialización de nn.Linear (U(±1/√fan_in))."""
    rng = np.random.default_rng(seed)
    capas = []
    for fan_in, fan_out in zip(tamanos[:-1], tamanos[1:]):
        limite = 1 / np.sqrt(fan_in)
        capas.append((rng.uniform(-limite, limite, (fan_out, fan_in)).astype(np.float32),
                      rng.uniform(-limite, limite, fan_out).astype(np.float32)))
    return capas


def gradientes_numpy(params, x, y):
    """Forward y backward del MLP escritos a mano en NumPy (la referencia de los benchmarks).

    ``params`` es una lista de pares [peso, sesgo]. Devuelve la pérdida NLL media y los
    gradientes en el mismo orden que ``params`` aplanado: [gw0, gb0, gw1, gb1, ...].
    """
    filas = np.arange(len(x))
    acts, h = [x], x
    for i, (w, b) in enumerate(params):
        h = h @ w.T + b
        if i < len(params) - 1:
            h = np.maximum(h, 0)
        acts.append(h)
    z = h - h.max(axis=1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    perdida = -logp[filas, y].mean()
    g = np.exp(logp)
    g[filas, y] -= 1
    g /= len(x)
    grads = [None] * (2 * len(params))
    for i in range(len(params) - 1, -1, -1):
        grads[2 * i], grads[2 * i + 1] = g.T @ acts[i], g.sum(axis=0)
        if i > 0:
            g = (g @ params[i][0]) * (acts[i] > 0)
    return perdida, grads


def sgd_numpy(params, grads, lr):
    """``p -= lr * g`` para cada parámetro (en su sitio)."""
    for p, g in zip((a for par in params for a in par), grads):
        p -= lr * g


def mlp(biblioteca, capas):
    """El MLP del curso (Linear/ReLU/.../LogSoftmax) en ``biblioteca`` (tinygrad_es o torch),
    con los pesos ``capas`` copiados."""
    nn = biblioteca.nn
    modulos = []
    for i, (w, _) in enumerate(capas):
        modulos.append(nn.Linear(w.shape[1], w.shape[0]))
        modulos.append(nn.ReLU() if i < len(capas) - 1 else nn.LogSoftmax(dim=1))
    modelo = nn.Sequential(*modulos)
    with biblioteca.no_grad():
        for capa, (w, b) in zip([m for m in modelo if isinstance(m, nn.Linear)], capas):
            capa.weight.copy_(biblioteca.from_numpy(w))
            capa.bias.copy_(biblioteca.from_numpy(b))
    return modelo


def paso_nn(modelo, criterio, optimizador):
    """El paso de entrenamiento del curso, idéntico para tinygrad_es y para torch: devuelve
    ``paso(x, y)``, que pone a cero los gradientes, calcula la pérdida, retropropaga, actualiza
    y devuelve la pérdida (un tensor)."""
    def paso(x, y):
        optimizador.zero_grad()
        perdida = criterio(modelo(x), y)
        perdida.backward()
        optimizador.step()
        return perdida
    return paso


def tabla(encabezados, filas):
    """Líneas de una tabla de texto alineada (la primera columna a la izquierda)."""
    celdas = [list(map(str, encabezados))] + [[str(c) for c in fila] for fila in filas]
    anchos = [max(len(f[i]) for f in celdas) for i in range(len(encabezados))]
    lineas = []
    for j, fila in enumerate(celdas):
        lineas.append("  " + "  ".join(c.ljust(anchos[i]) if i == 0 else c.rjust(anchos[i])
                                       for i, c in enumerate(fila)))
        if j == 0:
            lineas.append("  " + "  ".join("-" * a for a in anchos))
    return lineas


# --- Medir con honradez en una máquina compartida (#20, punto 4) --------------------------
# Todos los benchmarks de tiempo: pausa tras el bloque de cada candidato (larga tras PyTorch),
# cocientes pareados, variante de un hilo junto a la de hilos por defecto y la carga media.

PAUSA_PYTORCH = 0.3     # s sin medir tras un bloque de PyTorch (--pausa)
FRACCION_OTROS = 1 / 6  # tras los demás candidatos, esta fracción de --pausa (0,05 s)
UN_HILO = " [1 hilo]"   # sufijo de las variantes de un hilo
HILOS = ("defecto", "1", "ambos")


def opciones_medicion(parser, pausa=PAUSA_PYTORCH, hilos="ambos"):
    """Añade ``--pausa`` y ``--hilos`` (las mismas en todos los benchmarks de tiempo)."""
    parser.add_argument(
        "--pausa", type=float, default=pausa,
        help=f"segundos sin medir tras cada bloque de PyTorch ({pausa:g}; tras los demás, la "
             "sexta parte): sus hilos de OpenMP siguen girando al volver y frenan al siguiente")
    parser.add_argument(
        "--hilos", choices=HILOS, default=hilos,
        help="hilos de los candidatos: «defecto» (los que tendría un estudiante), «1» (BLAS, "
             f"OpenMP y PyTorch con un hilo) o «ambos», intercalados ({hilos})")


def es_pytorch(nombre):
    return "PyTorch" in nombre


def pausas_tras(nombres, pausa):
    """Segundos sin medir tras el bloque de cada candidato: ``pausa`` tras los de PyTorch (sus
    hilos de OpenMP esperan activamente tras volver y pueden frenar hasta 2x al siguiente) y
    ``pausa * FRACCION_OTROS`` tras los demás (los hilos de OpenBLAS, si hay varios, también
    giran un rato)."""
    return {n: pausa if es_pytorch(n) else pausa * FRACCION_OTROS for n in nombres}


_controlador = []


@contextlib.contextmanager
def un_hilo():
    """Dentro del bloque, un hilo para la BLAS y OpenMP (``threadpoolctl``) y para PyTorch
    (``torch.set_num_threads``); al salir, los de antes. La política de hilos de tinygrad_es
    solo usa más de uno en productos de más de 32 millones de multiplicaciones-sumas (ninguno
    en estos benchmarks)."""
    torch = sys.modules.get("torch")
    limitador = None
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:
        ThreadpoolController = None
    if ThreadpoolController is not None:
        if not _controlador:      # inspeccionar las bibliotecas cargadas cuesta milisegundos
            _controlador.append(ThreadpoolController())
        limitador = _controlador[0].limit(limits=1)
    antes = torch.get_num_threads() if torch is not None else None
    if torch is not None:
        torch.set_num_threads(1)
    try:
        yield
    finally:
        if torch is not None:
            torch.set_num_threads(antes)
        if limitador is not None:
            limitador.restore_original_limits()


def contexto_de(contextos, nombre):
    """El gestor de contexto de ``nombre`` en ``contextos`` (o uno que no hace nada)."""
    fabrica = contextos.get(nombre) if contextos else None
    return fabrica() if fabrica is not None else contextlib.nullcontext()


def variantes(fabricas, hilos="ambos"):
    """Los candidatos según ``--hilos``: ``fabricas`` da, por nombre, una función sin
    argumentos que construye el candidato. Con «ambos», cada uno dos veces (instancias
    distintas: no comparten pesos ni generador): con los hilos por defecto y, con el sufijo
    ``UN_HILO``, con un hilo. Devuelve ``(candidatos, contextos)`` para ``medir_por_bloques``.
    """
    candidatos, contextos = {}, {}
    if hilos != "1":
        candidatos.update({n: fabrica() for n, fabrica in fabricas.items()})
    if hilos != "defecto":
        for nombre, fabrica in fabricas.items():
            with un_hilo():
                candidatos[nombre + UN_HILO] = fabrica()
            contextos[nombre + UN_HILO] = un_hilo
    return candidatos, contextos


def referencia_de(nombre, referencia, nombres):
    """La referencia con la que se compara ``nombre``: la de un hilo para las variantes de un
    hilo (si se midió), la de hilos por defecto para las demás."""
    if nombre.endswith(UN_HILO) and referencia + UN_HILO in nombres:
        return referencia + UN_HILO
    if referencia not in nombres and referencia + UN_HILO in nombres:   # --hilos 1
        return referencia + UN_HILO
    return referencia


def texto_medicion(pausa, hilos):
    """Una línea que dice cómo se midió (para la salida de texto)."""
    variantes_ = {"defecto": "con los hilos por defecto",
                  "1": f"con un hilo (sufijo «{UN_HILO.strip()}»)",
                  "ambos": f"con los hilos por defecto y con un hilo (sufijo "
                           f"«{UN_HILO.strip()}»), intercalados"}[hilos]
    return (f"Medición: candidatos {variantes_}; pausa sin medir de {pausa:g} s tras cada "
            f"bloque de PyTorch y {pausa * FRACCION_OTROS:.2g} s tras los demás; «pareado» = "
            "mediana de los cocientes turno a turno frente a la referencia del mismo turno.")


def datos_medicion(pausa, hilos):
    """Lo mismo para el JSON."""
    return {"pausa_tras_pytorch_s": pausa, "pausa_tras_otros_s": pausa * FRACCION_OTROS,
            "hilos": hilos, "sufijo_un_hilo": UN_HILO}
