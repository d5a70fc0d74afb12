"""Baseline NER systems that `xiang-ner benchmark` compares the pipeline with (issue 6)."""
