"""Prueba de humo de los benchmarks: cada script corre con tamaños diminutos y ``--json``.

Solo comprueba que terminan bien y que su JSON tiene las claves que documenta
benchmarks/README.md. No afirma NADA sobre tiempos (en CI la máquina es otra y está ocupada).
Cada script se ejecuta una sola vez por sesión (la importación de PyTorch ya cuesta ~2 s).
"""
import functools
import importlib.util
import json
import os
import pathlib
import subprocess
import sys

import pytest

RAIZ = pathlib.Path(__file__).resolve().parents[1]

HAY_TORCH = importlib.util.find_spec("torch") is not None
CLAVES_COMUNES = {"benchmark", "maquina"}
CLAVES_MAQUINA = {"python", "numpy", "nucleos", "variables", "blas"}

CASOS = {
    "paso_mlp.py": (["--repeticiones", "2", "--bloque", "3", "--pausa", "0"],
                    {"medianas_s", "referencia", "por_optimizador", "razones_pareadas",
                     "fallos_pagina_por_paso"}),
    "desglose_paso.py": (["--repeticiones", "2", "--bloque", "2", "--pausa", "0"],
                         {"parametros", "medianas_us", "referencia", "razones", "maquinaria_us",
                          "suelo_igual_a_tinygrad_es"}),
    "epoca_mnist.py": (["--muestras", "640", "--repeticiones", "2", "--trozo", "3",
                        "--pausa", "0"],
                       {"parametros", "medianas_s", "resumen", "referencia", "razones",
                        "razones_pareadas", "perdida_media_ultima_epoca", "objetivo"}),
    "sobrecarga_ops.py": (["--iteraciones", "20", "--repeticiones", "2", "--pausa", "0"],
                          {"parametros", "casos", "frente_a_micrograd", "objetivo"}),
    "grafo_profundo.py": (["--operaciones", "500", "--repeticiones", "2", "--pausa", "0"],
                          {"parametros", "medianas_s", "resumen", "razones_tinygrad_pytorch",
                           "gradientes", "gradiente_esperado", "objetivo"}),
    "memoria.py": (["--pasos", "20", "--optimizador", "adam"],
                   {"parametros", "muestras", "crecimiento"}),
    "paso_lenet.py": (["--repeticiones", "2", "--bloque", "2", "--pausa", "0"],
                      {"medianas_s", "referencia", "razones_pareadas", "primera_perdida",
                       "fallos_pagina_por_paso", "desglose_ms"}),
    "normalizacion.py": (["--repeticiones", "2", "--bloque", "1", "--pausa", "0"],
                         {"parametros", "casos"}),
    "xor_epoca.py": (["--repeticiones", "2", "--bloque", "5", "--comprobar", "200",
                      "--pausa", "0"],
                     {"parametros", "medianas_us", "referencia", "razones", "razones_pareadas",
                      "perdida_tras_comprobar", "objetivo"}),
    "compilado.py": (["--repeticiones", "2", "--bloque", "2", "--pausa", "0",
                      "--sin-torch-compile"], {"medicion", "resultados"}),
    "epoca_lenet.py": (["--repeticiones", "1", "--muestras", "130", "--trozo", "1",
                        "--pausa", "0"],
                       {"parametros", "medianas_s", "referencia", "razones_pareadas",
                        "perdida_media_ultima_epoca", "malloc"}),
}


@functools.lru_cache(maxsize=None)
def ejecutar(script):
    """Corre el script como lo haría una persona, sin tocar las variables de BLAS."""
    argumentos = CASOS[script][0]
    entorno = dict(os.environ, PYTHONIOENCODING="utf-8")
    entorno["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(RAIZ / "src"), entorno.get("PYTHONPATH")) if p)
    proceso = subprocess.run([sys.executable, str(RAIZ / "benchmarks" / script), *argumentos,
                              "--json"], capture_output=True, text=True, encoding="utf-8",
                             env=entorno, cwd=RAIZ, timeout=180)
    assert proceso.returncode == 0, (
        f"{script} terminó con código {proceso.returncode}:\n{proceso.stderr[-3000:]}")
    try:
        return json.loads(proceso.stdout)
    except json.JSONDecodeError as exc:
        raise AssertionError(f"{script} --json no dio un JSON válido ({exc}):\n"
                             f"{proceso.stdout[:2000]}") from None


@pytest.mark.parametrize("script", sorted(CASOS))
def test_script_corre_y_da_json_con_sus_claves(script):
    claves = CASOS[script][1]
    salida = ejecutar(script)
    faltan = (CLAVES_COMUNES | claves) - set(salida)
    assert not faltan, f"a la salida JSON de {script} le faltan las claves {sorted(faltan)}"
    assert CLAVES_MAQUINA <= set(salida["maquina"])
    assert isinstance(salida["benchmark"], str) and salida["benchmark"]


def test_epoca_compara_con_numpy_y_las_perdidas_son_finitas():
    salida = ejecutar("epoca_mnist.py")
    assert salida["parametros"]["muestras"] == 640
    assert salida["referencia"] in salida["medianas_s"]
    assert salida["razones"][salida["referencia"]] == pytest.approx(1.0)
    assert set(salida["razones"]) == set(salida["medianas_s"]) == set(salida["razones_pareadas"])
    assert salida["razones_pareadas"][salida["referencia"]]["mediana"] == pytest.approx(1.0)
    assert all(p["turnos"] == 2 for p in salida["razones_pareadas"].values())
    assert all(0 < v < 10 for v in salida["perdida_media_ultima_epoca"].values())
    # la variante de un hilo de cada candidato aprende lo mismo que la de hilos por defecto
    perdidas = salida["perdida_media_ultima_epoca"]
    for nombre in salida["medianas_s"]:
        if not nombre.endswith(" [1 hilo]"):
            assert perdidas[nombre + " [1 hilo]"] == pytest.approx(perdidas[nombre], rel=1e-5)
    assert ("PyTorch CPU (DataLoader, nn, SGD)" in salida["medianas_s"]) == HAY_TORCH


def test_paso_da_cocientes_pareados_frente_a_numpy():
    salida = ejecutar("paso_mlp.py")
    for optimizador, pareadas in salida["razones_pareadas"].items():
        referencia = f"NumPy a mano ({optimizador})"
        assert pareadas[referencia]["mediana"] == pytest.approx(1.0)
        assert set(pareadas) == set(salida["por_optimizador"][optimizador])
        for cifras in pareadas.values():
            assert cifras["turnos"] == 2
            assert 0 < cifras["p25"] <= cifras["mediana"] <= cifras["p75"]


def test_paso_cuenta_los_fallos_de_pagina_de_cada_candidato():
    salida = ejecutar("paso_mlp.py")
    for optimizador, fallos in salida["fallos_pagina_por_paso"].items():
        if fallos:   # vacío donde el sistema no los da (sin el módulo resource)
            assert set(fallos) == set(salida["por_optimizador"][optimizador])
            assert all(v >= 0 for v in fallos.values())


def test_desglose_el_suelo_hace_las_mismas_cuentas_que_tinygrad_es():
    salida = ejecutar("desglose_paso.py")
    assert salida["suelo_igual_a_tinygrad_es"] is True
    fases = {"forward", "backward", "actualizacion", "total"}
    suelo = "suelo (mismas llamadas de NumPy, sin grafo)"
    assert set(salida["medianas_us"][suelo]) == fases
    assert set(salida["medianas_us"]["tinygrad_es (nn + optim.SGD)"]) == fases
    assert set(salida["maquinaria_us"]) == fases
    assert salida["razones"][salida["referencia"]] == pytest.approx(1.0)
    assert all(v > 0 for v in salida["medianas_us"][suelo].values())


def test_sobrecarga_da_microsegundos_por_operacion():
    salida = ejecutar("sobrecarga_ops.py")
    compuesta = salida["casos"]["(a*b + a).sum() + backward"]
    assert compuesta["operaciones"] == 3
    assert compuesta["tinygrad_es_us_por_op"] == pytest.approx(compuesta["tinygrad_es_us"] / 3)
    assert len(salida["casos"]) == 7
    assert ("PyTorch_us" in compuesta) == HAY_TORCH


def test_sobrecarga_compara_con_micrograd_y_todos_derivan_bien():
    """micrograd (el paquete o la clase Value del benchmark) es la referencia de la cuenta
    compuesta; todos los candidatos, también las variantes de un hilo, dan ∂/∂a = b + 1 y
    ∂/∂b = a."""
    salida = ejecutar("sobrecarga_ops.py")
    micrograd = salida["frente_a_micrograd"]
    referencia = micrograd["referencia"]
    assert micrograd["operaciones"][referencia] == 2
    assert micrograd["operaciones"]["tinygrad_es"] == 3
    assert micrograd["razon_por_iteracion_pareada"][referencia] == pytest.approx(1.0)
    assert micrograd["razon_por_op_pareada"][referencia] == pytest.approx(1.0)
    esperados = {referencia, "micrograd (4x4: 16 escalares, 47 nodos)", "tinygrad_es",
                 "tinygrad_es (0-d)", "tinygrad_es [1 hilo]", "tinygrad_es (0-d) [1 hilo]",
                 "tinygrad_es.compile", "tinygrad_es.compile [1 hilo]"}
    assert esperados <= set(micrograd["gradientes_correctos"])
    assert all(micrograd["gradientes_correctos"].values())
    assert ("PyTorch [1 hilo]" in micrograd["us"]) == HAY_TORCH
    assert salida["parametros"]["hilos"] == "ambos"


def test_grafo_profundo_da_el_gradiente_exacto():
    salida = ejecutar("grafo_profundo.py")
    esperado = salida["gradiente_esperado"]
    assert esperado == pytest.approx(1.00001 ** 500, rel=1e-4)
    for nombre, gradiente in salida["gradientes"].items():
        assert gradiente == pytest.approx(esperado, rel=1e-4), nombre
    assert set(salida["medianas_s"]["tinygrad_es"]) == {"forward", "backward", "liberacion"}


def test_memoria_muestrea_cada_decimo_de_los_pasos():
    salida = ejecutar("memoria.py")
    muestras = salida["muestras"]
    assert [m["paso"] for m in muestras] == list(range(2, 21, 2))
    assert all(m["tracemalloc_actual"] > 0 and m["rss"] > 0 for m in muestras)
    # los tensores vivos no cambian de un paso a otro (parámetros, gradientes, estado, datos)
    assert len({m["tensores_vivos"] for m in muestras}) == 1
    assert salida["crecimiento"]["desde_paso"] == 2
    assert salida["crecimiento"]["hasta_paso"] == 20


def test_lenet_los_tres_dan_la_misma_primera_perdida():
    salida = ejecutar("paso_lenet.py")
    perdidas = list(salida["primera_perdida"].values())
    # cada candidato con los hilos por defecto y con un hilo
    assert len(perdidas) == 2 * (3 if HAY_TORCH else 2)
    assert perdidas == pytest.approx([perdidas[0]] * len(perdidas), rel=1e-5)
    assert salida["razones_pareadas"][salida["referencia"]]["mediana"] == pytest.approx(1.0)


def test_epoca_lenet_los_candidatos_aprenden_lo_mismo():
    """Mismos pesos iniciales y lotes de 64 (el último, de 2): la pérdida media de la época
    de tinygrad_es es la de PyTorch (mismo barajado con la misma semilla) y cerca de la de NumPy
    (otro barajado)."""
    salida = ejecutar("epoca_lenet.py")
    perdidas = salida["perdida_media_ultima_epoca"]
    assert salida["parametros"]["muestras"] == 130
    tg = perdidas["tinygrad_es (DataLoader, nn, SGD)"]
    assert tg == pytest.approx(perdidas["NumPy a mano (im2col)"], abs=0.05)
    if HAY_TORCH:
        assert tg == pytest.approx(perdidas["PyTorch CPU eager (DataLoader, nn, SGD)"], rel=1e-4)


def test_xor_las_tres_versiones_aprenden_lo_mismo():
    """Desde los mismos pesos, NumPy a mano, tinygrad_es y PyTorch dan la misma pérdida tras
    200 épocas (float32); el cociente pareado de la referencia es 1 y los objetivos (≤ 1,5x
    NumPy a mano sin compilar y ≤ 1,1x compilado) se evalúan con los hilos por defecto y con
    uno."""
    salida = ejecutar("xor_epoca.py")
    perdidas = salida["perdida_tras_comprobar"]
    assert len(perdidas) == (4 if HAY_TORCH else 3)
    assert perdidas["tinygrad_es.compile"] == perdidas["tinygrad_es (eager)"]   # bit a bit
    numpy_ = perdidas["NumPy a mano"]
    assert 0 < numpy_ < 0.3
    assert list(perdidas.values()) == pytest.approx([numpy_] * len(perdidas), rel=1e-5)
    pareadas = salida["razones_pareadas"]
    assert pareadas["NumPy a mano"]["mediana"] == pytest.approx(1.0)
    assert pareadas["NumPy a mano [1 hilo]"]["mediana"] == pytest.approx(1.0)
    assert all(p["turnos"] == 2 for p in pareadas.values())
    assert {n: o["razon_maxima"] for n, o in salida["objetivo"].items()} == {
        "tinygrad_es (eager)": 1.5, "tinygrad_es (eager) [1 hilo]": 1.5,
        "tinygrad_es.compile": 1.1, "tinygrad_es.compile [1 hilo]": 1.1}


def test_normalizacion_cocientes_pareados_frente_a_la_fusionada():
    salida = ejecutar("normalizacion.py")
    assert len(salida["casos"]) == 4
    for caso in salida["casos"].values():
        pareadas = caso["razones_pareadas_frente_a_fusionada"]
        assert pareadas["fusionada"]["mediana"] == pytest.approx(1.0)
        assert pareadas["fusionada [1 hilo]"]["mediana"] == pytest.approx(1.0)
        assert caso["razon_composicion_fusionada"] == pareadas["composicion"]["mediana"] > 0
        assert ("PyTorch [1 hilo]" in pareadas) == HAY_TORCH


def test_todos_miden_con_pausa_hilos_y_carga():
    """Punto 4 de #20: cada benchmark de tiempo dice cómo midió (pausa tras PyTorch, hilos) y
    la carga media de la máquina; con ``--hilos ambos`` (por defecto) hay variantes de un
    hilo."""
    for script in sorted(set(CASOS) - {"memoria.py"}):
        salida = ejecutar(script)
        assert len(salida["maquina"]["carga_media_1_5_15min"]) == 3, script
        medicion = salida.get("medicion") or salida["parametros"]
        assert medicion["hilos"] == "ambos", script
        assert medicion["pausa_tras_pytorch_s"] == 0, script
        assert " [1 hilo]" in json.dumps(salida, ensure_ascii=False), script


def test_compilado_el_paso_compilado_es_el_de_siempre_y_mas_barato():
    """Las dos cargas (paso del MLP y época de 5 000 imágenes) con sus variantes de un hilo; el
    script para si el paso compilado no da los mismos parámetros que sin compilar."""
    salida = ejecutar("compilado.py")
    cargas = {r["carga"]: r for r in salida["resultados"]}
    assert len(cargas) == 2
    for r in cargas.values():
        pareadas = r["pareadas"]
        assert pareadas["NumPy a mano"]["mediana"] == pytest.approx(1.0)
        assert {"tinygrad_es", "tinygrad_es.compile", "tinygrad_es.compile [1 hilo]"} <= set(
            pareadas)
        assert ("PyTorch" in pareadas) == HAY_TORCH
        assert all(p["mediana"] > 0 for p in pareadas.values())
