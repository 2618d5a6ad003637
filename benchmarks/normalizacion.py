"""Normalizaciones: operación fusionada frente a composición de operaciones (y PyTorch).

Para batch norm, layer norm y group norm (float32) mide un forward + backward completo con
gradiente de la entrada, del peso y del sesgo:

- ``fusionada``: lo que usa tinygrad_es (``F.batch_norm``/``layer_norm``/``group_norm``, un
  nodo con backward cerrado);
- ``composicion``: la misma cuenta escrita con operaciones de Tensor (media, resta, varianza,
  raíz, división, peso y sesgo: unos 10 nodos);
- ``PyTorch`` si está instalado.

Con esta medida se eligió la operación fusionada (ver benchmarks/README.md).

Turnos intercalados con pausa tras cada bloque (``--pausa``, más larga tras PyTorch),
cocientes pareados frente a la fusionada y, con ``--hilos ambos`` (por defecto), cada
candidato también con un hilo.

Uso: python benchmarks/normalizacion.py [--repeticiones 15] [--bloque 20] [--pausa 0.3]
                                        [--hilos defecto|1|ambos] [--json]
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _comun import (aviso_ruido, datos_medicion, maquina_completa,  # noqa: E402
                    medir_por_bloques, opciones_medicion, pausas_tras, raiz_en_path,
                    razones_pareadas, resumir, tabla, texto_maquina, texto_medicion,
                    torch_o_none, variantes, volcar_json)

raiz_en_path()
import tinygrad_es as tg  # noqa: E402
import tinygrad_es.nn.functional as F  # noqa: E402
from tinygrad_es.utils.cli import ParserEs  # noqa: E402

EPS = 1e-5
# nombre: (forma de la entrada, forma del peso, ejes de la estadística, forma para difundir)
CASOS = {
    "batch_norm (32, 200)": ((32, 200), (200,), (0,), (200,)),
    "batch_norm (32, 16, 14, 14)": ((32, 16, 14, 14), (16,), (0, 2, 3), (16, 1, 1)),
    "layer_norm (32, 8, 64)": ((32, 8, 64), (64,), (2,), (64,)),
    "group_norm (16, 32, 8, 8), 8 grupos": ((16, 32, 8, 8), (32,), None, (32, 1, 1)),
}


def _fusionada(nombre, x, w, b):
    if nombre.startswith("batch"):
        return F.batch_norm(x, None, None, w, b, training=True, eps=EPS)
    if nombre.startswith("layer"):
        return F.layer_norm(x, tuple(w.shape), w, b, eps=EPS)
    return F.group_norm(x, 8, w, b, eps=EPS)


def _compuesta(nombre, x, w, b, ejes, difusion):
    forma = tuple(x.shape)
    if ejes is None:   # group norm: (N, G, resto)
        x = x.reshape(forma[0], 8, -1)
        ejes = (2,)
    media = x.mean(dim=ejes, keepdim=True)
    centrada = x - media
    var = (centrada * centrada).mean(dim=ejes, keepdim=True)
    xhat = (centrada / (var + EPS).sqrt()).reshape(forma)
    return xhat * w.reshape(difusion) + b.reshape(difusion)


def funciones(nombre, torch):
    forma, pforma, ejes, difusion = CASOS[nombre]
    rng = np.random.default_rng(0)
    x = rng.standard_normal(forma, dtype=np.float32)
    g = rng.standard_normal(forma, dtype=np.float32)
    w = rng.standard_normal(pforma, dtype=np.float32)
    b = rng.standard_normal(pforma, dtype=np.float32)
    ts = [tg.tensor(a, requires_grad=True) for a in (x, w, b)]
    gt = tg.tensor(g)

    def paso(fn):
        def f():
            fn(*ts).backward(gt)
            for t in ts:
                t.grad = None
        return f

    res = {"fusionada": paso(lambda *a: _fusionada(nombre, *a)),
           "composicion": paso(lambda *a: _compuesta(nombre, *a, ejes, difusion))}
    if torch is not None:
        tt = [torch.tensor(a, requires_grad=True) for a in (x, w, b)]
        gtt = torch.tensor(g)
        tf = torch.nn.functional

        def ref(x, w, b):
            if nombre.startswith("batch"):
                return tf.batch_norm(x, None, None, w, b, training=True, eps=EPS)
            if nombre.startswith("layer"):
                return tf.layer_norm(x, tuple(w.shape), w, b, eps=EPS)
            return tf.group_norm(x, 8, w, b, eps=EPS)

        def f_torch():
            ref(*tt).backward(gtt)
            for t in tt:
                t.grad = None
        res["PyTorch"] = f_torch
    return res


def main(argv=None):
    parser = ParserEs(description=__doc__.split("\n")[0])
    parser.add_argument("--repeticiones", type=int, default=15, help="turnos por candidato")
    parser.add_argument("--bloque", type=int, default=20, help="llamadas seguidas por turno")
    opciones_medicion(parser)
    parser.add_argument("--json", action="store_true", help="salida en JSON")
    args = parser.parse_args(argv)
    torch = torch_o_none()
    resultados, ruidosos = {}, []
    for nombre in CASOS:
        fabricas = {k: (lambda k=k: funciones(nombre, torch)[k])
                    for k in funciones(nombre, torch)}
        candidatos, contextos = variantes(fabricas, args.hilos)
        tiempos = medir_por_bloques(candidatos, args.repeticiones, args.bloque, calentamiento=2,
                                    pausas=pausas_tras(candidatos, args.pausa),
                                    contextos=contextos)
        resumen = resumir(tiempos)
        if aviso_ruido(resumen):
            ruidosos.append(nombre)
        fila = {f"{k}_us": r["mediana"] * 1e6 for k, r in resumen.items()}
        pareadas = razones_pareadas(tiempos, "fusionada")
        fila["razones_pareadas_frente_a_fusionada"] = pareadas
        fila["razon_composicion_fusionada"] = next(
            p["mediana"] for k, p in pareadas.items() if k.startswith("composicion"))
        resultados[nombre] = fila
    titulo = "Normalizaciones: forward + backward, fusionada frente a composición (float32)"
    if args.json:
        volcar_json(titulo, parametros={"repeticiones": args.repeticiones,
                                        "bloque": args.bloque,
                                        **datos_medicion(args.pausa, args.hilos)},
                    casos=resultados)
        return
    print(f"== {titulo} ==")
    print("\n".join(texto_maquina(maquina_completa())))
    print(texto_medicion(args.pausa, args.hilos))
    filas = []
    for nombre, f in resultados.items():
        for i, (k, p) in enumerate(f["razones_pareadas_frente_a_fusionada"].items()):
            filas.append(["" if i else nombre, k, f"{f[k + '_us']:.0f}",
                          f"{p['mediana']:.2f}x ({p['p25']:.2f}-{p['p75']:.2f})"])
    print("\n".join(tabla(["caso", "candidato", "µs (mediana)",
                           "frente a fusionada, pareado (p25-p75)"], filas)))
    if ruidosos:
        print(f"Aviso: medición ruidosa en {', '.join(ruidosos)} (dispersión > 25 %).")


if __name__ == "__main__":
    main()
