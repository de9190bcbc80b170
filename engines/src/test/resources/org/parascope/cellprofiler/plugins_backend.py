"""
The test plugins repository's build backend (PEP 517 and 660): a few lines that write a wheel, so
that pip installs the repository with --no-index, fetching no build tools from the network.
"""
import base64
import hashlib
import os
import zipfile

NAME = "parascope_test_plugins"
DIST = NAME + "-1.0"


def _wheel(directory, files):
    info = DIST + ".dist-info"
    files = dict(files)
    files[info + "/METADATA"] = "Metadata-Version: 2.1\nName: %s\nVersion: 1.0\n" % NAME
    files[info + "/WHEEL"] = "Wheel-Version: 1.0\nGenerator: parascope-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    name = DIST + "-py3-none-any.whl"
    record = []
    with zipfile.ZipFile(os.path.join(directory, name), "w") as wheel:
        for path, text in files.items():
            data = text.encode()
            wheel.writestr(path, data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            record.append("%s,sha256=%s,%d" % (path, digest, len(data)))
        record.append(info + "/RECORD,,")
        wheel.writestr(info + "/RECORD", "\n".join(record) + "\n")
    return name


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    return _wheel(wheel_directory, {NAME + ".py": "HOW = 'installed'\n"})


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    # Editable: the repository itself goes on sys.path, so its active_plugins/ can be imported.
    return _wheel(wheel_directory, {NAME + ".pth": os.path.abspath(".") + "\n"})
