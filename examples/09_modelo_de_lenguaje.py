"""Un modelo de lenguaje de caracteres que inventa nombres (al estilo de *makemore*).

Cada nombre se lee letra a letra y la red aprende a predecir la letra siguiente; el punto ``.``
marca el principio y el final de un nombre. Se entrenan dos modelos y se comparan:

1. **MLP** (Bengio et al., 2003): las 3 letras anteriores pasan por una tabla de
   ``nn.Embedding`` (cada letra → un vector de 10 números), se concatenan y van a una capa
   oculta ``Linear`` → ``BatchNorm1d`` → ``Tanh`` y a la capa de salida.
2. **Un bloque de autoatención causal** (la pieza de un Transformer): cada posición ve todas
   las letras anteriores del nombre (no solo 3). Embeddings de letra y de posición,
   ``LayerNorm``, ``F.scaled_dot_product_attention(..., is_causal=True)`` con 4 cabezas, y un
   MLP con ``GELU``, con conexiones residuales.

Datos: ``../shared/data/makemore/names.txt`` (32.000 nombres en inglés) si existe junto al
proyecto; si no, los nombres en español que lleva el paquete (``tinygrad_es.datasets.palabras``),
que funcionan sin internet. ``--palabras es`` fuerza estos últimos. El 90 % se usa para entrenar y
el 10 % para validar (nombres que el modelo no ve).

Imprime las pérdidas de entrenamiento y validación de los dos modelos, muestrea nombres nuevos
con ``torch.multinomial`` y un ``torch.Generator`` sembrado, y guarda ``lenguaje_perdida.png``
en ``--salida``.

Uso: python examples/09_modelo_de_lenguaje.py [--pasos 3000] [--palabras auto|names|es]
     [--salida salidas] [--semilla 0] [--rapido]
"""
import math
import pathlib
import sys
import time

import numpy as np

import tinygrad_es as torch
import tinygrad_es.nn.functional as F
from tinygrad_es import nn, optim
from tinygrad_es.datasets import palabras

from _comun import carpeta, crear_parser, guardar_figura, pyplot

RAIZ = pathlib.Path(__file__).resolve().parents[1]
NAMES = RAIZ.parent / "shared" / "data" / "makemore" / "names.txt"
PASOS = 3000
PASOS_ES = 500       # con la lista pequeña en español: más pasos solo la memorizan
PASOS_RAPIDO = 200
MAX_EVALUAR = 4000   # ejemplos de entrenamiento con los que se mide su pérdida final
CONTEXTO = 3          # letras que ve el MLP
LOTE = 64
MUESTRAS = 12


# --- datos -----------------------------------------------------------------------------------
def leer_palabras(opcion):
    """(lista de palabras, descripción de dónde salen)."""
    if opcion in ("auto", "names") and NAMES.exists():
        lista = [p for p in NAMES.read_text(encoding="utf-8").split() if p]
        cuantos = f"{len(lista):,}".replace(",", ".")
        return lista, f"names.txt de makemore ({cuantos} nombres en inglés, leído de {NAMES})"
    if opcion == "names":
        raise SystemExit(f"No se encuentra {NAMES}. Usa --palabras es para los nombres en "
                         "español que lleva el paquete.")
    lista = palabras.nombres()
    motivo = "" if opcion == "es" else f"; no se encontró {NAMES}"
    return lista, (f"los {len(lista)} nombres en español de tinygrad_es.datasets.palabras "
                   f"(sin internet{motivo})")


class Vocabulario:
    """Las letras que aparecen, numeradas; el 0 es ``.`` (principio y final de un nombre)."""

    def __init__(self, lista):
        self.letras = ["."] + sorted(set("".join(lista)))
        self.indice = {c: i for i, c in enumerate(self.letras)}

    def __len__(self):
        return len(self.letras)


def ejemplos_mlp(lista, vocab):
    """X: las ``CONTEXTO`` letras anteriores (rellenas con ``.``); Y: la letra siguiente."""
    X, Y = [], []
    for palabra in lista:
        contexto = [0] * CONTEXTO
        for c in palabra + ".":
            X.append(contexto)
            Y.append(vocab.indice[c])
            contexto = contexto[1:] + [vocab.indice[c]]
    return torch.tensor(X), torch.tensor(Y)


def ejemplos_secuencia(lista, vocab, largo):
    """Una fila por nombre: X = ``.`` + nombre, Y = nombre + ``.``; el relleno de Y es -1
    (``ignore_index``: esas posiciones no cuentan en la pérdida)."""
    X = np.zeros((len(lista), largo), dtype=np.int64)
    Y = np.full((len(lista), largo), -1, dtype=np.int64)
    for fila, palabra in enumerate(lista):
        codigos = [vocab.indice[c] for c in palabra[:largo - 1]]
        X[fila, 1:len(codigos) + 1] = codigos
        Y[fila, :len(codigos) + 1] = codigos + [0]
    return torch.tensor(X), torch.tensor(Y)


# --- los dos modelos -------------------------------------------------------------------------
class MLP(nn.Module):
    def __init__(self, n_vocab, n_embd=10, n_oculta=200):
        super().__init__()
        self.embedding = nn.Embedding(n_vocab, n_embd)
        self.oculta = nn.Sequential(nn.Linear(CONTEXTO * n_embd, n_oculta, bias=False),
                                    nn.BatchNorm1d(n_oculta), nn.Tanh())
        self.salida = nn.Linear(n_oculta, n_vocab)

    def forward(self, x):                              # x: (B, CONTEXTO) índices de letras
        e = self.embedding(x).flatten(1)               # (B, CONTEXTO * n_embd)
        return self.salida(self.oculta(e))             # (B, n_vocab) logits


class Autoatencion(nn.Module):
    """Autoatención causal con varias cabezas: cada posición mira solo a las anteriores."""

    def __init__(self, n_embd, n_cabezas):
        super().__init__()
        self.n_cabezas = n_cabezas
        self.qkv = nn.Linear(n_embd, 3 * n_embd)
        self.proyeccion = nn.Linear(n_embd, n_embd)

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.qkv(x).split(C, dim=2)
        # (B, T, C) -> (B, cabezas, T, C / cabezas): cada cabeza atiende por su cuenta
        q, k, v = (t.view(B, T, self.n_cabezas, C // self.n_cabezas).transpose(1, 2)
                   for t in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        return self.proyeccion(y.transpose(1, 2).reshape(B, T, C))


class BloqueAtencion(nn.Module):
    def __init__(self, n_vocab, largo, n_embd=32, n_cabezas=4):
        super().__init__()
        self.letra = nn.Embedding(n_vocab, n_embd)
        self.posicion = nn.Embedding(largo, n_embd)
        self.ln1 = nn.LayerNorm(n_embd)
        self.atencion = Autoatencion(n_embd, n_cabezas)
        self.ln2 = nn.LayerNorm(n_embd)
        self.mlp = nn.Sequential(nn.Linear(n_embd, 4 * n_embd), nn.GELU(),
                                 nn.Linear(4 * n_embd, n_embd))
        self.ln_final = nn.LayerNorm(n_embd)
        self.salida = nn.Linear(n_embd, n_vocab)

    def forward(self, x):                              # x: (B, T) índices de letras
        T = x.shape[1]
        h = self.letra(x) + self.posicion(torch.arange(T))
        h = h + self.atencion(self.ln1(h))             # conexión residual
        h = h + self.mlp(self.ln2(h))
        return self.salida(self.ln_final(h))           # (B, T, n_vocab) logits


# --- entrenamiento, evaluación y muestreo ----------------------------------------------------
def perdida(model, X, Y):
    logits = model(X)
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), Y.reshape(-1), ignore_index=-1)


def evaluar(model, X, Y, lote=2048, maximo=None):
    """Pérdida media (por letra), en modo evaluación y sin gradientes.

    Con ``maximo`` se mide solo con esa cantidad de ejemplos tomados a intervalos regulares
    (para la pérdida de entrenamiento: medirla con los 200.000 ejemplos de names.txt tardaría
    más que entrenar y daría casi el mismo número)."""
    if maximo is not None and len(X) > maximo:
        elegidos = torch.linspace(0, len(X) - 1, maximo).long()
        X, Y = X[elegidos], Y[elegidos]
    model.eval()
    total, cuenta = 0.0, 0
    with torch.no_grad():
        for i in range(0, len(X), lote):
            x, y = X[i:i + lote], Y[i:i + lote]
            n = int((y != -1).sum().item())
            total += perdida(model, x, y).item() * n
            cuenta += n
    model.train()
    return total / cuenta


def entrenar(model, X, Y, pasos, lote, lr, generador):
    """Adam con minilotes al azar; el lr baja a la décima parte en el último cuarto."""
    optimizer = optim.Adam(model.parameters(), lr=lr)
    planificador = optim.lr_scheduler.MultiStepLR(optimizer, [int(0.75 * pasos)], gamma=0.1)
    model.train()
    historial = []
    for _ in range(pasos):
        indices = torch.randint(0, len(X), (lote,), generator=generador)
        loss = perdida(model, X[indices], Y[indices])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        planificador.step()
        historial.append(loss.item())
    return historial


def muestrear_mlp(model, vocab, n, generador, maximo=20):
    model.eval()
    nombres = []
    with torch.no_grad():
        for _ in range(n):
            contexto, letras = [0] * CONTEXTO, []
            while len(letras) < maximo:
                probs = F.softmax(model(torch.tensor([contexto])), dim=1)
                i = torch.multinomial(probs, num_samples=1, generator=generador).item()
                if i == 0:
                    break
                letras.append(vocab.letras[i])
                contexto = contexto[1:] + [i]
            nombres.append("".join(letras))
    return nombres


def muestrear_atencion(model, vocab, n, generador, largo):
    model.eval()
    nombres = []
    with torch.no_grad():
        for _ in range(n):
            secuencia = [0]
            while len(secuencia) < largo:
                logits = model(torch.tensor([secuencia]))[0, -1]   # la última posición
                i = torch.multinomial(F.softmax(logits, dim=0), 1, generator=generador).item()
                if i == 0:
                    break
                secuencia.append(i)
            nombres.append("".join(vocab.letras[i] for i in secuencia[1:]))
    return nombres


def grafica_perdida(historiales, validacion, uniforme, ruta, titulo):
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(9, 4.5))
    colores = {"MLP + BatchNorm1d": "tab:blue", "autoatención causal": "tab:orange"}
    for nombre, historial in historiales.items():
        historial = np.array(historial)
        ventana = max(1, min(100, len(historial) // 10))
        media = np.convolve(historial, np.ones(ventana) / ventana, mode="valid")
        pasos = np.arange(ventana, len(historial) + 1)
        ax.plot(np.arange(1, len(historial) + 1), historial, color=colores[nombre], alpha=0.15,
                lw=0.6)
        ax.plot(pasos, media, color=colores[nombre], lw=2,
                label=f"{nombre}: entrenamiento (media de {ventana} lotes)")
        ax.plot([len(historial)], [validacion[nombre]], "D", color=colores[nombre], ms=8,
                markeredgecolor="black",
                label=f"{nombre}: validación al terminar = {validacion[nombre]:.3f}")
    ax.axhline(uniforme, color="gray", ls=":", label=f"adivinar al azar: ln({round(math.exp(uniforme))}) "
               f"= {uniforme:.2f}")
    ax.set(xlabel="paso de entrenamiento (un minilote por paso; ◆ = pérdida con los nombres "
                  "de validación al terminar)",
           ylabel="pérdida por letra (entropía cruzada)", title=titulo)
    ax.set_ylim(min(validacion.values()) - 0.5, uniforme + 0.3)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="upper right")
    fig.tight_layout()
    return guardar_figura(fig, ruta)


# --- programa --------------------------------------------------------------------------------
def argumentos(argv):
    parser = crear_parser("Entrena dos modelos de lenguaje de caracteres (MLP con BatchNorm1d y "
                          "un bloque de autoatención causal) que inventan nombres nuevos.")
    parser.add_argument("--pasos", type=int, default=None,
                        help=f"pasos de entrenamiento del MLP ({PASOS} con names.txt, {PASOS_ES} "
                             f"con la lista pequeña en español, que con más pasos se memoriza; "
                             f"{PASOS_RAPIDO} con --rapido); el bloque de atención da la mitad, con lotes que "
                             "tienen más letras")
    parser.add_argument("--palabras", choices=("auto", "names", "es"), default="auto",
                        help="auto: names.txt de makemore si está, si no los nombres en español "
                             "del paquete; names: solo names.txt; es: los nombres en español")
    args = parser.parse_args(argv)
    if args.pasos is not None and args.pasos < 1:
        parser.error(f"--pasos debe ser al menos 1, no {args.pasos}")
    return args


def main(argv=None):
    args = argumentos(argv)
    inicio = time.perf_counter()
    torch.manual_seed(args.semilla)
    lista, descripcion = leer_palabras(args.palabras)
    print(f"Palabras: {descripcion}.")
    if args.pasos is None:
        args.pasos = (PASOS_RAPIDO if args.rapido else
                      PASOS if len(lista) > 5000 else PASOS_ES)
    orden = torch.randperm(len(lista), generator=torch.Generator().manual_seed(args.semilla))
    lista = [lista[i] for i in orden.tolist()]
    corte = int(0.9 * len(lista))
    entrenamiento, validacion = lista[:corte], lista[corte:]
    vocab = Vocabulario(lista)
    largo = max(len(p) for p in lista) + 1
    print(f"{len(entrenamiento)} para entrenar y {len(validacion)} para validar · "
          f"{len(vocab)} símbolos: {''.join(vocab.letras)} · nombre más largo: {largo - 1} letras")
    uniforme = math.log(len(vocab))
    print(f"Pérdida de referencia (todas las letras igual de probables): ln({len(vocab)}) = "
          f"{uniforme:.3f}")

    generador = torch.Generator().manual_seed(args.semilla)
    pasos_atencion = max(1, args.pasos // 2)
    historiales, finales = {}, {}

    print(f"\n1) MLP: {CONTEXTO} letras → Embedding(10) → Linear → BatchNorm1d → Tanh → "
          f"Linear · {args.pasos} pasos")
    Xtr, Ytr = ejemplos_mlp(entrenamiento, vocab)
    Xva, Yva = ejemplos_mlp(validacion, vocab)
    mlp = MLP(len(vocab))
    print(f"   {sum(p.numel() for p in mlp.parameters())} parámetros · "
          f"{len(Xtr)} ejemplos (contexto, letra siguiente)")
    t0 = time.perf_counter()
    historiales["MLP + BatchNorm1d"] = entrenar(mlp, Xtr, Ytr, args.pasos, LOTE, 0.01, generador)
    finales["MLP + BatchNorm1d"] = (evaluar(mlp, Xtr, Ytr, maximo=MAX_EVALUAR), evaluar(mlp, Xva, Yva))
    print(f"   MLP: pérdida de entrenamiento {finales['MLP + BatchNorm1d'][0]:.4f} · "
          f"validación {finales['MLP + BatchNorm1d'][1]:.4f}  ({time.perf_counter() - t0:.1f} s)")

    print(f"\n2) Autoatención causal: Embedding de letra y de posición (32) → LayerNorm → "
          f"4 cabezas → LayerNorm → MLP con GELU · {pasos_atencion} pasos")
    print(f"   (la mitad de pasos que el MLP: cada lote de {LOTE // 2} nombres tiene unas "
          f"{round(LOTE // 2 * (1 + np.mean([len(p) for p in entrenamiento])))} letras que "
          f"predecir, frente a los {LOTE} ejemplos de un lote del MLP)")
    Str, Ttr = ejemplos_secuencia(entrenamiento, vocab, largo)
    Sva, Tva = ejemplos_secuencia(validacion, vocab, largo)
    atencion = BloqueAtencion(len(vocab), largo)
    print(f"   {sum(p.numel() for p in atencion.parameters())} parámetros · "
          f"{len(Str)} nombres de hasta {largo} posiciones")
    t0 = time.perf_counter()
    historiales["autoatención causal"] = entrenar(atencion, Str, Ttr, pasos_atencion,
                                                  LOTE // 2, 0.003, generador)
    finales["autoatención causal"] = (evaluar(atencion, Str, Ttr, maximo=MAX_EVALUAR // 4),
                                      evaluar(atencion, Sva, Tva))
    print(f"   Autoatención: pérdida de entrenamiento {finales['autoatención causal'][0]:.4f} · "
          f"validación {finales['autoatención causal'][1]:.4f}  "
          f"({time.perf_counter() - t0:.1f} s)")

    muestreo = torch.Generator().manual_seed(args.semilla + 2147483647)
    conocidos = set(lista)
    print("\nNombres inventados (torch.multinomial con un Generator sembrado; * = ya estaba en "
          "los datos):")
    for titulo, nombres in (("MLP", muestrear_mlp(mlp, vocab, MUESTRAS, muestreo)),
                            ("Autoatención", muestrear_atencion(atencion, vocab, MUESTRAS,
                                                                muestreo, largo))):
        marcados = [n + ("*" if n in conocidos else "") if n else "(vacío)" for n in nombres]
        print(f"   {titulo}: {', '.join(marcados)}")

    salida = carpeta(args.salida)
    if pyplot() is not None:
        grafica_perdida(historiales, {k: v[1] for k, v in finales.items()}, uniforme,
                        salida / "lenguaje_perdida.png",
                        f"Modelos de caracteres · {descripcion.split(' (')[0]}")

    print(f"\ntiempo total: {time.perf_counter() - inicio:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
