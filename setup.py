"""rdfgen's one native part, ``rdfgen/_native.c``: the hot loop of a conversion (a record's shard members). It is
optional: where no C compiler is at hand, ``pip install`` goes on without it and its Python twin
(rdfgen.publish.members) serves, giving the same bytes. Everything else about the package is in pyproject.toml."""

from setuptools import Extension, setup

setup(ext_modules=[Extension("rdfgen._native", ["rdfgen/_native.c"], optional=True,
                             extra_compile_args=["-O2"])])
