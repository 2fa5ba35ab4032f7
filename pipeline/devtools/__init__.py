"""Developer tools, not part of a run: the evaluator (``evaluate``), the benchmark (``bench``)
and the Hindi NER trainer (``train_hindi``). They may import anything; nothing in the product
imports them."""
