"""¿Fuente clara u oscura? Una red 3-3-1 decide el color del texto sobre un fondo RGB.

Los datos son colores de fondo al azar (R, G, B de 0 a 255, divididos por 255 para que las
entradas queden en [0, 1]). La etiqueta sale de una regla conocida: si la luminancia
0.299 R + 0.587 G + 0.114 B es menor que 128 el fondo es oscuro y la fuente debe ser CLARA
(etiqueta 1); si no, OSCURA (0). La red no conoce la regla: la aprende de los ejemplos.

Red: Linear(3, 3) -> ReLU -> Linear(3, 1) -> Sigmoid, entropía cruzada binaria (BCELoss) y SGD
en lotes de 32. El 20% de los colores se aparta para medir la exactitud en prueba.

Deja en --salida la gráfica color_fuente.png y el modelo entrenado (color_fuente.safetensors,
con tinygrad_es.save(modelo.state_dict())).

Modo interactivo: --color 255,140,0 (o #FF8C00; se puede repetir) imprime CLARA u OSCURA para
ese fondo. Si ya hay un modelo guardado en --salida lo carga sin volver a entrenar
(--reentrenar entrena de todos modos).

Uso: python examples/05_color_fuente.py [--color 255,140,0] [--epocas 100] [--lr 0.5]
     [--n 2000] [--salida salidas] [--rapido] [--reentrenar]
"""
import argparse

import numpy as np

import _comun
import tinygrad_es as torch
from tinygrad_es import nn, optim
from tinygrad_es.datasets import colores_fuente, fuente_clara, luminancia
from tinygrad_es.utils.data import DataLoader, TensorDataset, random_split

ARCHIVO_MODELO = "color_fuente.safetensors"


def crear_modelo():
    return nn.Sequential(nn.Linear(3, 3), nn.ReLU(), nn.Linear(3, 1), nn.Sigmoid())


def leer_color(texto):
    """'255,140,0' o '#FF8C00' -> (255, 140, 0); error de argparse en español si no vale."""
    texto = texto.strip()
    try:
        if texto.startswith("#") and len(texto) == 7:
            rgb = tuple(int(texto[i:i + 2], 16) for i in (1, 3, 5))
        else:
            rgb = tuple(int(v) for v in texto.replace(" ", "").split(","))
    except ValueError:
        rgb = ()
    if len(rgb) != 3 or not all(0 <= v <= 255 for v in rgb):
        raise argparse.ArgumentTypeError(
            f"color no válido {texto!r}: escribe R,G,B con enteros de 0 a 255 "
            "(p. ej. 255,140,0) o en hexadecimal (#FF8C00)")
    return rgb


def entrenar(modelo, entrenamiento, prueba, epocas, lr, lote):
    """SGD en lotes; devuelve el historial (pérdida media y exactitud en prueba por época)."""
    criterio = nn.BCELoss()
    optimizador = optim.SGD(modelo.parameters(), lr=lr)
    cargador = DataLoader(entrenamiento, batch_size=lote, shuffle=True)
    historial = {"perdida": [], "exactitud": []}
    for epoca in _comun.epocas(epocas, "colores"):
        total, vistos = 0.0, 0
        for x, y in cargador:
            optimizador.zero_grad()
            perdida = criterio(modelo(x), y)
            perdida.backward()
            optimizador.step()
            total += perdida.item() * len(x)
            vistos += len(x)
        historial["perdida"].append(total / vistos)
        historial["exactitud"].append(evaluar(modelo, prueba)[0])
        if epoca % 20 == 0 or epoca == epocas - 1:
            _comun.imprimir(f"época {epoca:4d}   pérdida {historial['perdida'][-1]:.4f}   "
                            f"exactitud en prueba {_comun.porcentaje(historial['exactitud'][-1])}")
    return historial


def evaluar(modelo, conjunto):
    """(exactitud, colores 0-255, etiquetas, probabilidades) sobre todo ``conjunto``."""
    x, y = next(iter(DataLoader(conjunto, batch_size=len(conjunto))))
    with torch.no_grad():
        prob = modelo(x)
    exactitud = ((prob > 0.5).float() == y).float().mean().item()
    rgb = np.rint(x.numpy() * 255).astype(int)
    return exactitud, rgb, y.numpy().ravel(), prob.numpy().ravel()


def predecir(modelo, rgb):
    """Probabilidad de que sobre el fondo ``rgb`` (0-255) la fuente deba ser clara."""
    x = torch.tensor([rgb], dtype=torch.float32) / 255
    with torch.no_grad():
        return modelo(x).item()


def dibujar(historial, rgb, etiquetas, prob, ruta):
    plt = _comun.pyplot()
    if plt is None:
        return
    fig, (izq, der) = plt.subplots(1, 2, figsize=(12, 5), layout="constrained",
                                   gridspec_kw={"width_ratios": [1, 1.15]})
    epocas = np.arange(1, len(historial["perdida"]) + 1)
    izq.plot(epocas, historial["perdida"], color="tab:blue", label="pérdida (entrenamiento)")
    izq.set_xlabel("época")
    izq.set_ylabel("entropía cruzada binaria", color="tab:blue")
    acc = izq.twinx()
    acc.plot(epocas, [100 * a for a in historial["exactitud"]], color="tab:green",
             label="exactitud en prueba")
    acc.set_ylabel("exactitud en prueba (%)", color="tab:green")
    izq.set_title("Entrenamiento")
    izq.grid(alpha=0.3)

    filas, columnas = 5, 8
    fallos = (prob > 0.5) != (etiquetas > 0.5)
    orden = np.argsort(~fallos, kind="stable")[:filas * columnas]   # los fallos primero
    for k, i in enumerate(orden):
        f, c = divmod(k, columnas)
        clara = prob[i] > 0.5
        acierto = not fallos[i]
        der.add_patch(plt.Rectangle((c, filas - 1 - f), 0.95, 0.95, color=rgb[i] / 255,
                                    ec="none" if acierto else "red", lw=0 if acierto else 3))
        der.text(c + 0.475, filas - 1 - f + 0.475, "Hola", ha="center", va="center",
                 fontsize=10, color="white" if clara else "black", fontweight="bold")
    der.set_xlim(-0.1, columnas)
    der.set_ylim(-0.1, filas)
    der.set_aspect("equal")
    der.axis("off")
    der.set_title("Colores de prueba con la fuente que elige la red\n"
                  f"(borde rojo, al principio: los {int(fallos.sum())} en que no coincide "
                  "con la regla)")
    fig.suptitle("Color de fuente (clara u oscura) según el fondo RGB: red 3-3-1")
    _comun.guardar_figura(fig, ruta)


def informar_color(modelo, rgb):
    p = predecir(modelo, rgb)
    red = "CLARA" if p > 0.5 else "OSCURA"
    regla = "CLARA" if fuente_clara(np.array(rgb)) else "OSCURA"
    print(f"color {rgb}: fuente {red} (probabilidad de fuente clara {p:.2f}; la regla de la "
          f"luminancia, {luminancia(rgb):.1f} frente a 128, dice {regla})")


def main(argv=None):
    parser = _comun.crear_parser("Una red 3-3-1 aprende si la fuente debe ser clara u oscura "
                                 "sobre un fondo RGB.")
    parser.add_argument("--color", type=leer_color, action="append", metavar="R,G,B",
                        help="color de fondo a consultar, p. ej. 255,140,0 o #FF8C00 "
                             "(se puede repetir)")
    parser.add_argument("--reentrenar", action="store_true",
                        help="entrena aunque haya un modelo guardado en --salida")
    parser.add_argument("--n", type=int, default=2000, help="número de colores (2000)")
    parser.add_argument("--epocas", type=int, default=None,
                        help="épocas de entrenamiento (100; 40 con --rapido)")
    parser.add_argument("--lr", type=float, default=0.5, help="tasa de aprendizaje de SGD (0.5)")
    parser.add_argument("--lote", type=int, default=32, help="tamaño del lote (32)")
    args = parser.parse_args(argv)
    carpeta = _comun.carpeta(args.salida)
    ruta_modelo = carpeta / ARCHIVO_MODELO
    torch.manual_seed(args.semilla)
    modelo = crear_modelo()

    if args.color and ruta_modelo.exists() and not args.reentrenar:
        modelo.load_state_dict(torch.load(ruta_modelo))
        print(f"modelo cargado de {ruta_modelo} (usa --reentrenar para entrenar otro)")
    else:
        epocas = args.epocas or (40 if args.rapido else 100)
        X, y = colores_fuente(args.n)
        entrenamiento, prueba = random_split(TensorDataset(X, y), [0.8, 0.2])
        print(f"{len(entrenamiento)} colores de entrenamiento y {len(prueba)} de prueba; "
              f"{epocas} épocas de SGD (lr = {args.lr:g}, lotes de {args.lote})")
        historial = entrenar(modelo, entrenamiento, prueba, epocas, args.lr, args.lote)
        exactitud, rgb, etiquetas, prob = evaluar(modelo, prueba)
        print(f"\nexactitud en prueba: {_comun.porcentaje(exactitud)} "
              f"({int(round(exactitud * len(prueba)))} de {len(prueba)} colores)")
        torch.save(modelo.state_dict(), ruta_modelo)
        print(f"modelo guardado en {ruta_modelo}")
        dibujar(historial, rgb, etiquetas, prob, carpeta / "color_fuente.png")

    for rgb in args.color or ():
        informar_color(modelo, rgb)


if __name__ == "__main__":
    main()
