import os
import sys

# ``python -m ecocheck`` puts the current directory first on sys.path: in an untrusted checkout
# a committed ``*.dist-info`` would then register a plugin, and a committed ``yaml.py`` would
# shadow a dependency.  Plugins and dependencies come from the installed environment only
# (as with Python 3.11's ``-P``); ecocheck itself is already imported by now.
if sys.path and sys.path[0] in ("", os.curdir, os.getcwd()):
    del sys.path[0]

from .cli import main  # noqa: E402

main()
