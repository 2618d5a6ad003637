"""Cobertura de la API de PyTorch que usa el código de los cursos (``API_TARGET.md``).

Lee la lista de nombres objetivo (``../shared/API_TARGET.md`` o la copia de ``docs/``), mira
cuáles existen en tinygrad_es y escribe ``docs/cobertura_api.md`` (✓/✗ por nombre).

    python tools/cobertura_api.py            # escribe la página e imprime el resumen
    python tools/cobertura_api.py --check    # falla si la página no está al día
"""
import argparse
import re
import sys
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent
OBJETIVO = RAIZ / "docs" / "api_objetivo.md"
PAGINA = RAIZ / "docs" / "cobertura_api.md"

# sección de API_TARGET.md -> espacio de nombres de tinygrad_es donde se busca cada nombre
SECCIONES = {
    "torch": "tinygrad_es",
    "Tensor methods": "tinygrad_es.Tensor",
    "torch.nn": "tinygrad_es.nn",
    "torch.nn.functional": "tinygrad_es.nn.functional",
    "torch.optim": "tinygrad_es.optim",
    "torch.utils.data": "tinygrad_es.utils.data",
    "torchvision": "tinygrad_es.vision",
}
# líneas cuyo espacio de nombres no es el de la sección
LINEAS = {
    ("torch.optim", "schedulers"): "tinygrad_es.optim.lr_scheduler",
    ("torch.nn", "nn.utils"): "tinygrad_es.nn.utils",
    ("torch.nn", "nn.init"): "tinygrad_es.nn.init",
    ("torch.nn", "Module API"): "tinygrad_es.nn.Module",
    ("torch.optim", "Optimizer API"): "tinygrad_es.optim.Optimizer",
    ("Tensor methods", "métodos (funciones de torch)"): "tinygrad_es.Tensor",
    ("torchvision", "datasets"): "tinygrad_es.vision.datasets",
    ("torchvision", "transforms"): "tinygrad_es.vision.transforms",
    ("torchvision", "transforms.v2"): "tinygrad_es.vision.transforms.v2",
    ("torchvision", "utils"): "tinygrad_es.vision.utils",
}
# palabras de las líneas que no son nombres (explicaciones entre paréntesis ya se quitan)
NO_NOMBRES = {"and", "the", "recurrent", "ones"}


PERDIDAS_FUNCIONALES = (
    "mse_loss l1_loss smooth_l1_loss huber_loss nll_loss cross_entropy binary_cross_entropy "
    "binary_cross_entropy_with_logits kl_div hinge_embedding_loss margin_ranking_loss "
    "cosine_embedding_loss triplet_margin_loss poisson_nll_loss gaussian_nll_loss "
    "multi_margin_loss soft_margin_loss multilabel_soft_margin_loss").split()


def leer_objetivo(texto, metodos_de_torch=None):
    """[(sección, línea, nombre, stretch)] a partir del texto de API_TARGET.md.

    ``metodos_de_torch(nombre)`` dice si ``torch.Tensor`` tiene ese método: las funciones de
    ``torch`` que también son métodos forman parte de los métodos objetivo.
    """
    nombres, seccion, clave = [], None, None
    for linea in texto.splitlines():
        if linea.startswith("## "):
            seccion = linea[3:].split(" (")[0].split(" and ")[0].strip()
            continue
        if seccion is None or not linea.strip() or linea.startswith("Attributes"):
            continue
        if seccion == "Tensor methods":
            if linea.startswith("Every"):
                continue
            clave, resto = "métodos", linea
        elif seccion == "torch.nn.functional":
            clave, resto = "funciones", linea.replace("Every module above as a function", "")
            resto = resto.replace("(stretch)", " @stretch").replace("(nearest, bilinear)", "")
            resto = resto.replace("and every loss in functional form", " ".join(PERDIDAS_FUNCIONALES))
            resto = resto.replace("(", " ").replace(")", " ").replace("plus:", " ")
        elif ":" in linea:
            clave, _, resto = linea.partition(":")
            clave = clave.split(" (")[0].strip()
        else:
            continue
        resto = re.sub(r"\(stretch\)", " @stretch", resto)
        resto = re.sub(r"\(stretch:([^()]*)\)", r" stretch: \1", resto)   # (stretch: a b c)
        if "the recurrent ones: stretch" in resto:   # «RNN ... GRUCell (the recurrent ones: stretch)»
            resto = resto.replace("(the recurrent ones: stretch)", "")
            resto = re.sub(r"\b(RNN|LSTM|GRU|RNNCell|LSTMCell|GRUCell)\b", r"\1 @stretch", resto)
        resto = re.sub(r"\([^()]*\)", " ", resto)   # explicaciones entre paréntesis
        en_stretch = False
        for palabra in resto.replace(",", " ").split():
            if palabra == "@stretch":
                if nombres and nombres[-1][1] == clave:
                    nombres[-1] = nombres[-1][:3] + (True,)
                continue
            if palabra.rstrip(":") == "stretch":
                en_stretch = True
                continue
            palabra = palabra.strip("`.;:")
            if palabra in NO_NOMBRES or not re.match(r"^[A-Za-z_][\w.]*$", palabra):
                continue
            nombres.append((seccion, clave, palabra, en_stretch))
    if metodos_de_torch is not None:   # las funciones de torch que también son métodos
        extra = [("Tensor methods", "métodos (funciones de torch)", n, st)
                 for s, c, n, st in nombres if s == "torch" and metodos_de_torch(n)]
        nombres += extra
    vistos, unicos = set(), []   # duplicados (p. ej. random_ dos veces): el primero manda
    for s, c, n, st in nombres:
        clave_unica = (SECCIONES[s] if s != "torch" else s, n) if s == "Tensor methods" else (s, c, n)
        if clave_unica not in vistos:
            vistos.add(clave_unica)
            unicos.append((s, c, n, st))
    return unicos


def espacio(seccion, clave):
    return LINEAS.get((seccion, clave), SECCIONES[seccion])


def _optimizador():
    import tinygrad_es as tg
    return tg.optim.SGD([tg.nn.Parameter(tg.zeros(1))], lr=0.1)


# atributos que PyTorch pone en cada objeto, no en la clase: se buscan en un ejemplar
EJEMPLARES = {"tinygrad_es.optim.Optimizer": _optimizador}


def existe(ruta, nombre):
    import importlib
    partes = ruta.split(".")
    objeto = importlib.import_module(partes[0])
    if ruta in EJEMPLARES:
        objeto, partes = EJEMPLARES[ruta](), [None]
    for parte in partes[1:] + nombre.split("."):
        try:
            objeto = getattr(objeto, parte)
        except Exception:   # AttributeError y, con __getattr__ en español, también él
            return False
    return True


def tabla(nombres):
    filas, hechos, total, hechos_s, total_s = [], 0, 0, 0, 0
    actual = None
    for seccion, clave, nombre, stretch in nombres:
        ruta = espacio(seccion, clave)
        ok = existe(ruta, nombre)
        if stretch:
            total_s += 1
            hechos_s += ok
        else:
            total += 1
            hechos += ok
        if (seccion, clave) != actual:
            actual = (seccion, clave)
            filas.append(f"\n### {seccion} — {clave} (`{ruta}`)\n")
        filas.append(f"- {'✓' if ok else '✗'} `{nombre}`" + (" *(ampliación)*" if stretch else ""))
    return filas, (hechos, total, hechos_s, total_s)


def pagina(nombres):
    filas, (h, t, hs, ts) = tabla(nombres)
    cabecera = [
        "# Cobertura de la API de PyTorch",
        "",
        "Página generada por `python tools/cobertura_api.py` a partir de `docs/api_objetivo.md`",
        "(los nombres que usa el código de los cursos). No se edita a mano: un test comprueba que",
        "está al día.",
        "",
        f"**Nombres principales: {h} de {t} ({100 * h / t:.1f} %).** "
        f"Ampliaciones: {hs} de {ts}.",
    ]
    return "\n".join(cabecera + filas) + "\n", (h, t, hs, ts)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="falla si docs/cobertura_api.md no está al día")
    args = parser.parse_args(argv)
    import torch   # el oráculo dice qué funciones de torch son también métodos de Tensor
    objetivo = leer_objetivo(OBJETIVO.read_text(encoding="utf-8"),
                             lambda nombre: hasattr(torch.Tensor, nombre.split(".")[-1])
                             and "." not in nombre)
    texto, (h, t, hs, ts) = pagina(objetivo)
    if args.check:
        if not PAGINA.exists() or PAGINA.read_text(encoding="utf-8") != texto:
            print("docs/cobertura_api.md no está al día: ejecuta python tools/cobertura_api.py")
            return 1
        return 0
    PAGINA.write_text(texto, encoding="utf-8")
    print(f"Cobertura: {h}/{t} ({100 * h / t:.1f} %) principales; {hs}/{ts} ampliaciones.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
