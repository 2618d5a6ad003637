"""Ejecuta los cuadernos de ``examples/cuadernos`` enteros (sin el modo rápido) y guarda sus
salidas, para que se vean con sus figuras en la página del repositorio.

Uso: python tools/ejecutar_cuadernos.py [NOMBRE.ipynb ...]   (sin nombres: todos)

Usa este intérprete como núcleo (``sys.executable``) y el paquete de esta carpeta
(``PYTHONPATH``), con ``OPENBLAS_NUM_THREADS`` sin tocar: lo que vería un estudiante. Tras
ejecutar, ``git diff`` muestra qué cambió en las salidas.
"""
import os
import pathlib
import sys
import tempfile
import time

RAIZ = pathlib.Path(__file__).resolve().parents[1]
CUADERNOS = RAIZ / "examples" / "cuadernos"


def main(nombres):
    import json

    import nbformat
    from nbclient import NotebookClient

    rutas = [CUADERNOS / n for n in nombres] if nombres else sorted(CUADERNOS.glob("*.ipynb"))
    with tempfile.TemporaryDirectory() as carpeta:
        # un núcleo «python3» que arranca con este intérprete, sin tocar los de la máquina
        nucleo = pathlib.Path(carpeta) / "kernels" / "python3"
        nucleo.mkdir(parents=True)
        (nucleo / "kernel.json").write_text(json.dumps({
            "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "Python 3", "language": "python"}), encoding="utf-8")
        os.environ["JUPYTER_PATH"] = carpeta
        os.environ["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(RAIZ / "src"), os.environ.get("PYTHONPATH")) if p)
        for variable in ("TINYGRAD_ES_RAPIDO", "TINYGRAD_ES_CUADERNO_RAPIDO"):
            os.environ.pop(variable, None)
        for ruta in rutas:
            t0 = time.perf_counter()
            cuaderno = nbformat.read(ruta, as_version=4)
            NotebookClient(cuaderno, timeout=1800, kernel_name="python3",
                           resources={"metadata": {"path": str(ruta.parent)}}).execute()
            nbformat.write(cuaderno, ruta)
            print(f"{ruta.relative_to(RAIZ)}: ejecutado en {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
