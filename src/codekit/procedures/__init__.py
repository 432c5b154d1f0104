"""Procedure codes (CPT, HCPCS Level II), modifiers and NCCI tables: the implementation.

The public modules are :mod:`codekit.cpt`, :mod:`codekit.hcpcs`, :mod:`codekit.modifiers`,
:mod:`codekit.procedure` and :mod:`codekit.ncci`; the modules here are private and may
change between versions.
"""
