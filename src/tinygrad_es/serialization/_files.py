"""Archivos: escritura atómica y errores de ruta en español (comunes a los dos formatos)."""
import os
import tempfile


class _SaveDirError(RuntimeError, IsADirectoryError):
    """La ruta de ``save`` es una carpeta (RuntimeError como PyTorch, y IsADirectoryError)."""


class _SaveFolderError(RuntimeError, FileNotFoundError):
    """La carpeta de ``save`` no existe (RuntimeError como PyTorch; también FileNotFoundError)."""


class _SavePermissionError(RuntimeError, PermissionError):
    """Sin permiso para escribir (RuntimeError como PyTorch; también PermissionError)."""


def atomic_write(path, write):
    """Llama a ``write(ruta_temporal)`` y renombra: un corte nunca deja un archivo a medias."""
    folder = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix="." + os.path.basename(path) + ".",
                                   suffix=".tmp")
    except OSError as exc:
        raise _save_error(path, folder, exc) from None
    os.close(fd)
    try:
        write(tmp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException as exc:
        if os.path.exists(tmp):
            os.remove(tmp)
        if isinstance(exc, OSError):   # el error original nombraría el archivo temporal
            raise _save_error(path, folder, exc) from None
        raise


def _save_error(path, folder, exc):
    """El error de escribir en ``path``, con la ruta del usuario (no la del temporal).

    Para otros fallos del sistema (disco lleno...) se conserva el error original con una nota
    que nombra la ruta del usuario."""
    if os.path.isdir(path):
        return _SaveDirError(
            f"No se puede guardar en {path!r}: es una carpeta, no un archivo. Añade un nombre "
            f"de archivo, p. ej. torch.save(obj, os.path.join({path!r}, 'modelo.pt')).")
    if not os.path.isdir(folder):
        return _SaveFolderError(
            f"No se puede guardar en {path!r}: la carpeta {folder!r} no existe. Créala antes "
            "con os.makedirs(carpeta, exist_ok=True).")
    if isinstance(exc, PermissionError):
        return _SavePermissionError(
            f"No se puede guardar en {path!r}: no hay permiso para escribir en esa carpeta o "
            "en ese archivo. Elige otra ruta (p. ej. dentro de tu carpeta personal).")
    exc.add_note(f"(al guardar en {path!r}; no se ha modificado ese archivo)")
    return exc


def open_for_reading(name):
    """Abre ``name`` en binario con errores en español si no existe o es una carpeta."""
    if not os.path.exists(name):
        raise FileNotFoundError(
            f"No existe el archivo {name!r}. Comprueba la ruta (la carpeta actual es "
            f"{os.getcwd()!r}) o guárdalo antes con torch.save(obj, ruta).")
    if os.path.isdir(name):
        raise IsADirectoryError(f"{name!r} es una carpeta, no un archivo guardado.")
    return open(name, "rb")
