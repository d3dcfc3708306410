"""rdfgen's native parts, small C twins of the hottest Python of a conversion: ``rdfgen/_native.c`` (a record's
shard members), ``rdfgen/mapping/_native.c`` (the statements of references cited by PMID) and
``rdfgen/sources/_native.c`` (PubMed XML reference lists, read from lxml's tree through lxml's C
API, so it compiles against the headers lxml ships). They are optional: where no C compiler (or no lxml at build
time) is at hand, ``pip install`` goes on without them and their Python twins serve, giving the same bytes.
Everything else about the package is in pyproject.toml."""

from setuptools import Extension, setup


def _lxml_includes() -> list[str]:
    try:
        import lxml
    except ImportError:  # the build requires lxml (pyproject.toml); a build without it skips this extension
        return []
    return lxml.get_include()


_LXML = _lxml_includes()
_EXTENSIONS = [Extension(name, [source], optional=True, extra_compile_args=["-O2"])
               for name, source in (("rdfgen._native", "rdfgen/_native.c"),
                                    ("rdfgen.mapping._native", "rdfgen/mapping/_native.c"))]
if _LXML:
    _EXTENSIONS.append(Extension("rdfgen.sources._native", ["rdfgen/sources/_native.c"], include_dirs=_LXML,
                                 optional=True, extra_compile_args=["-O2"]))

setup(ext_modules=_EXTENSIONS)
