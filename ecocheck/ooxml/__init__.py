"""The OOXML layer: what every reader and writer of a .docx shares.

- :mod:`.package` -- the zip container opened safely (limits, one copy of each part, E codes),
  parts found as Word finds them, and the editable package the fixer and annotator write back;
- :mod:`.safexml` -- XML parsing without DTDs, entities or network (E008/E010);
- :mod:`.names` -- namespaces and the Clark names of elements and attributes;
- :mod:`.walk` -- the one walk of body paragraphs and runs, and the text a run shows;
- :mod:`.styles` -- styles.xml by id, and the part cut down to the styles in use.

Used by the loader (:mod:`ecocheck.loaders.docx`), the fixer and annotator (:mod:`ecocheck.fix`)
and the GB/T 9704 plugin.  It imports no layer above it; :mod:`.names` and :mod:`.walk` import no
lxml (the GB/T plugin registers its rules with them before the first .docx brings the stack).
"""
