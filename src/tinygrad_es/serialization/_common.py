"""Mensajes compartidos por los dos formatos de ``save`` (safetensors y el de torch.save)."""
import sys


def where(path):
    """``['optim']['state'][0]`` para los mensajes; "el objeto" si es la raíz."""
    return "".join(f"[{k!r}]" for k in path) or "el objeto"


def unsupported(obj, path, numpy_ok=False):
    """TypeError en español para un objeto que ``save`` no sabe guardar."""
    kind = type(obj).__name__
    if type(obj).__module__.split(".")[0] == "torch":
        return TypeError(
            f"No se puede guardar el objeto de PyTorch ({kind}) de {where(path)}: "
            "tinygrad_es.save guarda objetos de tinygrad_es. Conviértelo (un tensor con "
            "tinygrad_es.tensor(t.detach().numpy())) o guárdalo con el torch.save de PyTorch.")
    if callable(getattr(obj, "state_dict", None)):
        if hasattr(obj, "parameters"):
            return TypeError(
                f"No se puede guardar el modelo completo ({kind}) en {where(path)}: "
                "tinygrad_es solo guarda tensores y datos simples (un modelo entero se "
                "guardaría como código dentro de un pickle, y cargar algo así puede ejecutar "
                "código arbitrario). Guarda sus pesos: torch.save(model.state_dict(), ruta), y "
                "para recuperarlo crea el modelo y llama a "
                "model.load_state_dict(torch.load(ruta)).")
        return TypeError(
            f"No se puede guardar el objeto {kind} completo en {where(path)}: guarda su "
            f"estado con .state_dict() (por ejemplo torch.save(optimizer.state_dict(), ruta)) "
            "y recupéralo con .load_state_dict(torch.load(ruta)).")
    return TypeError(
        f"No se puede guardar un objeto de tipo {kind} en {where(path)}: solo se admiten "
        f"tensores, {'arrays de NumPy, ' if numpy_ok else ''}números, textos, booleanos, None, "
        "y listas, tuplas y diccionarios de ellos. Conviértelo a uno de esos tipos o guarda "
        "su state_dict().")


def too_deep_to_save():
    return RuntimeError(
        "No se puede guardar el objeto: está anidado demasiado hondo (listas o "
        f"diccionarios unos dentro de otros, más de ~{sys.getrecursionlimit()} niveles), o "
        "se contiene a sí mismo. Guarda una estructura más plana (p. ej. un diccionario "
        "de tensores).")


def too_deep_to_load(name, what):
    return RuntimeError(
        f"No se puede cargar {name!r}: en {what} hay listas o diccionarios anidados a más de "
        f"~{sys.getrecursionlimit()} niveles. tinygrad_es.save nunca escribe algo así, así que "
        "el archivo está dañado o manipulado: no lo uses y vuelve a guardarlo desde su origen.")
