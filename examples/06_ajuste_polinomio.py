"""Ajustar y = x² con ruido: ¿cuántas neuronas hacen falta y qué activación conviene?

Datos: 100 puntos x en [-1, 1] e y = x² + 0.2·U(0, 1) (ruido uniforme: la curva ideal es
x² + 0.1 y el ruido solo ya da un error cuadrático medio de 0.2²/12 ≈ 0.0033).

Se entrenan con SGD (lote completo, error cuadrático medio) varias redes nn.Sequential:
Tanh con 1, 2, 3 y 5 neuronas ocultas, una Tanh más profunda (dos capas de 5), ReLU y
LeakyReLU con 10 neuronas (las dos desde los mismos pesos iniciales). Una sola Tanh es
monótona y no puede dibujar una parábola; con dos ya se puede.

Después mira dentro de la red ReLU: una neurona ReLU cuya entrada w·x + b es negativa para
todos los datos da 0 siempre y su gradiente es exactamente 0, así que SGD nunca la mueve:
está «muerta». Se imprimen los gradientes de la primera capa y viz.gradient_report con sus
avisos, y se compara con LeakyReLU (que deja pasar un gradiente pequeño).

Deja en --salida la gráfica ajuste_polinomio.png.

Uso: python examples/06_ajuste_polinomio.py [--epocas 2000] [--lr 0.2] [--semilla 0]
     [--salida salidas] [--rapido]
"""
import copy

import numpy as np

import _comun
import tinygrad_es as torch
from tinygrad_es import nn, optim, viz

RUIDO = 0.2


def variantes():
    """Nombre -> función que construye la red (en el orden del curso)."""
    def una_capa(ocultas, activacion):
        return lambda: nn.Sequential(nn.Linear(1, ocultas), activacion(), nn.Linear(ocultas, 1))
    return {
        "Tanh, 1 neurona": una_capa(1, nn.Tanh),
        "Tanh, 2 neuronas": una_capa(2, nn.Tanh),
        "Tanh, 3 neuronas": una_capa(3, nn.Tanh),
        "Tanh, 5 neuronas": una_capa(5, nn.Tanh),
        "Tanh profunda, 5 y 5": lambda: nn.Sequential(
            nn.Linear(1, 5), nn.Tanh(), nn.Linear(5, 5), nn.Tanh(), nn.Linear(5, 1)),
        "ReLU, 10 neuronas": una_capa(10, nn.ReLU),
        "LeakyReLU, 10 neuronas": una_capa(10, nn.LeakyReLU),
    }


def datos(n=100):
    x = torch.linspace(-1, 1, n).unsqueeze(1)           # forma (100, 1): 100 ejemplos, 1 entrada
    y = x.pow(2) + RUIDO * torch.rand(x.size())
    return x, y


def entrenar(modelo, x, y, epocas, lr):
    criterio = nn.MSELoss()
    optimizador = optim.SGD(modelo.parameters(), lr=lr)
    historial = []
    for _ in _comun.epocas(epocas, "ajuste"):
        optimizador.zero_grad()
        perdida = criterio(modelo(x), y)
        perdida.backward()
        optimizador.step()
        historial.append(perdida.item())
    with torch.no_grad():
        final = criterio(modelo(x), y).item()
    return final, historial


def neuronas_muertas(modelo, x):
    """Índices de las neuronas de la capa oculta cuya salida es 0 para todos los x."""
    with torch.no_grad():
        oculta = modelo[1](modelo[0](x)).numpy()
    return np.flatnonzero((oculta <= 0).all(axis=0)).tolist()


def gradientes_primera_capa(modelo, x, y):
    """Hace un forward y un backward con todos los datos; devuelve 0.weight.grad como lista."""
    modelo.zero_grad()
    nn.MSELoss()(modelo(x), y).backward()
    return modelo[0].weight.grad.flatten().tolist()


def _lista(valores):
    return "[" + ", ".join(f"{g:.1e}" if g else "0" for g in valores) + "]"


def mostrar_relu_muertas(modelos, muertas_al_inicio, x, y):
    relu = modelos["ReLU, 10 neuronas"]
    leaky = modelos["LeakyReLU, 10 neuronas"]
    print("\nNeuronas ReLU muertas (red «ReLU, 10 neuronas», ya entrenada)")
    grad = gradientes_primera_capa(relu, x, y)
    muertas = neuronas_muertas(relu, x)
    print("  gradiente de la primera capa, 0.weight.grad (uno por neurona oculta):")
    print(f"  {_lista(grad)}")
    if muertas:
        durante = [i for i in muertas if i not in muertas_al_inicio]
        print(f"  neuronas muertas: {muertas} (desde el principio: {muertas_al_inicio}; "
              f"murieron entrenando: {durante}).")
        print("  Su gradiente es exactamente 0: w·x + b ≤ 0 para todos los datos, la ReLU da 0 y "
              "su derivada\n  también; SGD ya no las mueve y no reviven.")
    else:
        print("  con esta semilla no murió ninguna neurona; prueba --semilla 1 o --semilla 5.")
    print()
    # input=x: mide ahora las neuronas muertas con todos los datos; avisa desde el 10%
    print(viz.gradient_report(relu, input=x, dead_threshold=0.1))
    grad_leaky = gradientes_primera_capa(leaky, x, y)
    negativas = neuronas_muertas(leaky, x)   # en LeakyReLU: en la parte negativa para todo x
    print("\n  LeakyReLU (pendiente 0.01 en la parte negativa, mismos pesos iniciales): "
          "0.weight.grad =")
    print(f"  {_lista(grad_leaky)}")
    if negativas:
        print(f"  Las neuronas {negativas} están en la parte negativa para todos los datos, pero "
              "su gradiente es\n  pequeño y no nulo: SGD aún puede sacarlas de ahí.")
    else:
        print("  Ninguna neurona tiene gradiente exactamente 0.")


def dibujar(resultados, x, y, ruta):
    plt = _comun.pyplot()
    if plt is None:
        return
    fig, ejes = plt.subplots(2, 4, figsize=(15, 7.2), layout="constrained", sharey=False)
    xs, ys = x.numpy().ravel(), y.numpy().ravel()
    malla = torch.linspace(-1.1, 1.1, 200).unsqueeze(1)
    for ax, (nombre, (modelo, ecm, _)) in zip(ejes.flat, resultados.items()):
        with torch.no_grad():
            pred = modelo(malla).numpy().ravel()
        ax.scatter(xs, ys, s=8, color="gray", alpha=0.6, label="datos")
        ax.plot(malla.numpy().ravel(), malla.numpy().ravel() ** 2 + RUIDO / 2, "k--", lw=1,
                label="x² + 0.1 (ideal)")
        ax.plot(malla.numpy().ravel(), pred, color="tab:red", lw=2, label="la red")
        ax.set_title(f"{nombre}\nECM = {ecm:.4f}", fontsize=10)
        ax.set_ylim(-0.2, 1.4)
        ax.grid(alpha=0.3)
        ax.set_xlabel("x")
    ejes[0, 0].set_ylabel("y")
    ejes[1, 0].set_ylabel("y")
    ejes[0, 0].legend(fontsize=8, loc="upper center")
    ultimo = ejes.flat[len(resultados)]
    for nombre, (_, _, historial) in resultados.items():
        ultimo.plot(historial, label=nombre, lw=1.2)
    ultimo.axhline(RUIDO ** 2 / 12, color="k", linestyle=":", lw=1)
    ultimo.set_yscale("log")
    ultimo.set_xlabel("época")
    ultimo.set_ylabel("error cuadrático medio (escala log.)")
    ultimo.set_title("Pérdida durante el entrenamiento\n(punteada: el error del ruido)",
                     fontsize=10)
    ultimo.legend(fontsize=7)
    ultimo.grid(alpha=0.3)
    fig.suptitle("Ajuste de y = x² con ruido: cada red tras el entrenamiento con SGD")
    _comun.guardar_figura(fig, ruta)


def main(argv=None):
    parser = _comun.crear_parser("Ajusta y = x² con ruido con varias redes Sequential (Tanh, "
                                 "ReLU, LeakyReLU) y muestra las ReLU muertas.")
    parser.add_argument("--epocas", type=int, default=None,
                        help="épocas de SGD con lote completo (2000; 500 con --rapido)")
    parser.add_argument("--lr", type=float, default=0.2, help="tasa de aprendizaje (0.2)")
    args = parser.parse_args(argv)
    carpeta = _comun.carpeta(args.salida)
    epocas = args.epocas or (500 if args.rapido else 2000)

    torch.manual_seed(args.semilla)
    x, y = datos()
    print(f"{len(x)} puntos de y = x² + ruido; SGD con lr = {args.lr:g} durante {epocas} épocas")
    ideal = ((x.pow(2) + RUIDO / 2 - y) ** 2).mean().item()
    print(f"(la curva ideal x² + 0.1 tiene en estos datos un ECM de {ideal:.4f}, todo ruido; "
          "bajar mucho de ahí\nsería memorizar el ruido)\n")
    print(f"  {'modelo':<24} {'parámetros':>10}  {'ECM final':>9}")
    resultados, muertas_al_inicio, inicial_relu = {}, [], None
    for nombre, construir in variantes().items():
        modelo = construir()
        if nombre.startswith("ReLU"):
            muertas_al_inicio = neuronas_muertas(modelo, x)
            inicial_relu = copy.deepcopy(modelo.state_dict())
        elif nombre.startswith("LeakyReLU"):
            modelo.load_state_dict(inicial_relu)     # los mismos pesos iniciales que la ReLU
        ecm, historial = entrenar(modelo, x, y, epocas, args.lr)
        resultados[nombre] = (modelo, ecm, historial)
        parametros = sum(p.numel() for p in modelo.parameters())
        print(f"  {nombre:<24} {parametros:>10}  {ecm:>9.4f}")
    mejor = min(resultados, key=lambda k: resultados[k][1])
    print(f"\nECM final del mejor modelo: {resultados[mejor][1]:.4f} ({mejor})")
    print(f"ECM final con una sola Tanh: {resultados['Tanh, 1 neurona'][1]:.4f} (una curva "
          "monótona no puede seguir la parábola)")
    dibujar(resultados, x, y, carpeta / "ajuste_polinomio.png")

    modelos = {nombre: modelo for nombre, (modelo, _, _) in resultados.items()}
    mostrar_relu_muertas(modelos, muertas_al_inicio, x, y)


if __name__ == "__main__":
    main()
