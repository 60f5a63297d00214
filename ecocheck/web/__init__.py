"""``ecocheck serve``: the writers' workbench, a web page on the writer's own machine.

Needs the optional extra ``ecocheck[web]`` (Starlette, uvicorn, python-multipart); nothing
else in ecocheck imports this package, so ``ecocheck lint`` starts without the web stack.

* :mod:`.app` -- the Starlette application: the page, the HTTP API, upload handling;
* :mod:`.guard` -- Host (DNS rebinding), cross-origin and token checks;
* :mod:`.work` -- what a worker process does with an upload (through :mod:`ecocheck.api`
  and :mod:`ecocheck.fix`, as the CLI does);
* :mod:`.server` -- uvicorn, port choice, opening the browser;
* ``static/`` -- the page itself (no external script, style or font: it works offline).
"""
