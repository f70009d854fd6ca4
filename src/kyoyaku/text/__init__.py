"""Stage 1, text → model: read an agreement text into the model.

In: a file's bytes (UTF-8 or Shift_JIS). Out: a `model.Agreement` — header, parties, articles,
別表, closing and signatures, each with its source line — and the diagnostics of what could not be
read (`Agreement.diagnostics`); input that is no agreement at all raises `errors.InputError`.
Entry point: `parse.parse_file`.
"""
