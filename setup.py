"""rdfgen's one native part, ``rdfgen/publish/_members.c`` (a record's shard members in one pass). It is optional:
where no C compiler is at hand, ``pip install`` goes on without it and its Python twin (rdfgen.publish.members) serves,
giving the same bytes. Everything else about the package is in pyproject.toml."""

from setuptools import Extension, setup

setup(ext_modules=[Extension("rdfgen.publish._members", ["rdfgen/publish/_members.c"], optional=True,
                             extra_compile_args=["-O2"])])
