"""The implementation of the procedure code systems: CPT, HCPCS Level II and modifiers.

Private: the public code systems are :mod:`codekit.cpt`, :mod:`codekit.hcpcs`,
:mod:`codekit.modifiers` and :mod:`codekit.procedure` (either system, service lines); the
NCCI tables are :mod:`codekit.ncci`. Nothing outside those modules imports from here.
"""
